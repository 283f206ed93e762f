package org.virthooks.libvirt.domain;

/** How {@code memoryPeek} interprets its offset (virDomainMemoryFlags). */
public enum MemoryAddressMode implements LibvirtFlag {
  /** A guest-virtual address. */
  VIRTUAL(1 << 0),
  /** A guest-physical address. */
  PHYSICAL(1 << 1);

  private final int value;

  MemoryAddressMode(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_MEMORY_*). */
  @Override
  public int value() {
    return value;
  }
}
