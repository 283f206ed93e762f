package org.virthooks.libvirt.domain;

/** The power-management sleep state a guest is told to enter (virNodeSuspendTarget; Sys::Virt's NODE SUSPEND constants). */
public enum PmSuspendTarget implements LibvirtFlag {
  /** Suspend to RAM. */
  MEM(0),
  /** Suspend to disk. */
  DISK(1),
  /** Suspend to RAM and to disk. */
  HYBRID(2);

  private final int value;

  PmSuspendTarget(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_NODE_SUSPEND_TARGET_*). */
  @Override
  public int value() {
    return value;
  }
}
