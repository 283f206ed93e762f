package org.virthooks.libvirt.domain;

/** How a guest's core is dumped (virDomainCoreDumpFlags). */
public enum DumpFlag implements LibvirtFlag {
  /** Crash the guest after the dump. */
  CRASH(1 << 0),
  /** Dump without pausing the guest. */
  LIVE(1 << 1),
  /** Avoid file system cache pollution. */
  BYPASS_CACHE(1 << 2),
  /** Reset the guest after the dump. */
  RESET(1 << 3),
  /** Dump the guest's memory only (QEMU's dump-guest-memory). */
  MEMORY_ONLY(1 << 4);

  private final int value;

  DumpFlag(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DUMP_*). */
  @Override
  public int value() {
    return value;
  }
}
