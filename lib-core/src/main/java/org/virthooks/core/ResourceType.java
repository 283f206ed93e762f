package org.virthooks.core;

import org.virthooks.core.internal.JsonNames;

/**
 * The kind of resource a {@link ResourceEvent} is about: the LDoms resource names of the guide,
 * then the ones libvirt and Xen add.
 */
public enum ResourceType {
  /** Virtual CPUs. */
  VCPU,
  /** Cryptographic units (MAU). */
  CRYPTO,
  /** Memory, including balloon size changes. */
  MEMORY,
  /** I/O devices (PCI buses, physical I/O). */
  IO,
  /** Domain variables (OpenBoot variables). */
  VARIABLE,
  /** Virtual console concentrator service. */
  VCONSCON,
  /** Virtual console of a domain. */
  VCONSOLE,
  /** Virtual disk of a domain. */
  VDISK,
  /** Virtual disk server service. */
  VDISKSERVER,
  /** Volume exported by a virtual disk server. */
  VDISKSERVERDEVICE,
  /** Virtual network device of a domain. */
  VNET,
  /** Virtual switch service. */
  VSWITCH,
  /** Virtual data plane channel service. */
  VDPCS,
  /** Virtual data plane channel client. */
  VDPCC,
  /** A disk (libvirt, Xen block device). */
  DISK,
  /** A network interface (libvirt, Xen vif). */
  INTERFACE,
  /** A virtual network (libvirt network). */
  NETWORK,
  /** A port on a virtual network (libvirt network port). */
  NETWORK_PORT,
  /** Any other device, named by its alias in the event's attributes. */
  DEVICE,
  /** A tunable parameter set (libvirt TUNABLE). */
  TUNABLE,
  /** A storage pool of the host (libvirt storage pool events), named by its name. */
  STORAGE_POOL,
  /** A device of the host (libvirt node device events), named by its name. */
  NODE_DEVICE,
  /** A secret kept by the host (libvirt secret events), named by its UUID. */
  SECRET,
  /** A resource this version does not know: read the event's action. */
  OTHER;

  /** The lower-case name used in JSON ({@code network-port}). */
  public String jsonName() {
    return JsonNames.of(this);
  }

  /** The type named {@code name} ({@code vdisk}, {@code network-port}, ...), or {@link #OTHER}. */
  public static ResourceType parse(String name) {
    return JsonNames.parse(ResourceType.class, name, OTHER);
  }
}
