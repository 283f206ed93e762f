package org.virthooks.libvirt.domain;

import java.util.Optional;

/** A figure of a guest's memory statistics (virDomainMemoryStatTags); the first six are the keys the seed names. */
public enum MemoryStatTag {
  /** Data read from swap space, in KiB. */
  SWAP_IN(0),
  /** Data written to swap space, in KiB. */
  SWAP_OUT(1),
  /** Page faults involving disk I/O. */
  MAJOR_FAULT(2),
  /** Page faults not involving disk I/O. */
  MINOR_FAULT(3),
  /** Memory unused by the guest, in KiB. */
  UNUSED(4),
  /** Memory the guest sees, in KiB. */
  AVAILABLE(5),
  /** The balloon's current size, in KiB. */
  ACTUAL_BALLOON(6),
  /** Resident set size of the hypervisor process, in KiB. */
  RSS(7),
  /** Memory the guest could use without swapping, in KiB. */
  USABLE(8),
  /** When the guest last updated the figures, in seconds since the epoch. */
  LAST_UPDATE(9),
  /** Memory the guest can reclaim from disk caches, in KiB. */
  DISK_CACHES(10),
  /** Huge pages allocated in the guest. */
  HUGETLB_PGALLOC(11),
  /** Huge page allocations that failed in the guest. */
  HUGETLB_PGFAIL(12);

  private final int code;

  MemoryStatTag(int code) {
    this.code = code;
  }

  /** libvirt's number (VIR_DOMAIN_MEMORY_STAT_*). */
  public int code() {
    return code;
  }

  /** The constant for libvirt's number, empty when this version does not know it. */
  public static Optional<MemoryStatTag> fromCode(int code) {
    for (MemoryStatTag v : values()) {
      if (v.code == code) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
