/**
 * Test support for users of virthooks' libvirt adapter: a harness that calls hooks exactly as
 * libvirt calls a hook script ({@link org.virthooks.libvirt.testing.LibvirtHookHarness}), domain
 * XML for small test guests ({@link org.virthooks.libvirt.testing.TestDomains}), and a real
 * libvirtd started without systemd for integration tests
 * ({@link org.virthooks.libvirt.testing.Libvirtd}). Needs no test framework. In the artifact
 * {@code virthooks-libvirt-testing}, to depend on with test scope.
 */
package org.virthooks.libvirt.testing;
