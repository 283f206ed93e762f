/**
 * libvirt for virthooks: domain and network events from libvirt-java as typed lib-core events
 * ({@link org.virthooks.libvirt.LibvirtEventSource}), and libvirt's hook scripts answered by Java
 * hooks ({@link org.virthooks.libvirt.LibvirtHookRunner}), in a fresh JVM or relayed into a
 * running one.
 */
package org.virthooks.libvirt;
