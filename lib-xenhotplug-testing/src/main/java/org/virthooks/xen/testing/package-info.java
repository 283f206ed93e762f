/**
 * Test support for Xen: {@link org.virthooks.xen.testing.XenstoreServer}, an in-memory xenstore
 * daemon on a Unix socket that speaks the wire protocol faithfully enough for Debian's
 * {@code xenstore-utils} and for the hotplug runner's tests and demo. In the artifact
 * {@code virthooks-xenhotplug-testing}, to depend on with test scope.
 */
package org.virthooks.xen.testing;
