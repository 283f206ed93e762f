package org.virthooks.libvirt.domain;

/** What a vCPU count means beyond its {@link ModificationImpact} (virDomainVcpuFlags above the impact bits). */
public enum VcpuOption implements LibvirtFlag {
  /** The maximum count rather than the current one. */
  MAXIMUM(1 << 2),
  /** The state of the vCPUs inside the guest (guest agent). */
  GUEST(1 << 3),
  /** Make the added vCPUs hot-(un)pluggable. */
  HOTPLUGGABLE(1 << 4);

  private final int value;

  VcpuOption(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_VCPU_*). */
  @Override
  public int value() {
    return value;
  }
}
