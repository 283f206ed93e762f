package org.virthooks.libvirt.domain;

/** Whether a change or a query concerns the running guest, its persistent definition or whichever applies now (virDomainModificationImpact; Sys::Virt's CONFIG OPTION constants); an empty set is {@link #CURRENT}. */
public enum ModificationImpact implements LibvirtFlag {
  /** The running guest if it runs, else its persistent definition (no bit). */
  CURRENT(0),
  /** The running guest. */
  LIVE(1 << 0),
  /** The persistent definition. */
  CONFIG(1 << 1);

  private final int value;

  ModificationImpact(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_AFFECT_*). */
  @Override
  public int value() {
    return value;
  }
}
