/**
 * Internals of the Xen adapter: the xenstore wire format (message types, frames, path rules),
 * and the two hotplug protocols behind {@code XenHotplugRunner} (libxl's, HOTPLUG_PATH's).
 * Not an API: may change in any release.
 */
package org.virthooks.xen.internal;
