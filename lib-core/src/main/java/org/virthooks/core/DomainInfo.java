package org.virthooks.core;

import org.virthooks.core.internal.Checks;

/**
 * A summary of a domain's resources and state, as libvirt's {@code virDomainGetInfo} reports it.
 *
 * @param maxMemoryKib the maximum memory allowed, in KiB
 * @param memoryKib the memory currently allocated, in KiB
 * @param cpuTimeNanos CPU time used, in nanoseconds
 * @param vcpus the number of virtual CPUs
 * @param state the execution state
 */
public record DomainInfo(long maxMemoryKib, long memoryKib, long cpuTimeNanos, int vcpus,
    DomainState state) {

  /** Validates that no figure is negative. */
  public DomainInfo {
    Checks.notNegative("maxMemoryKib", maxMemoryKib);
    Checks.notNegative("memoryKib", memoryKib);
    Checks.notNegative("cpuTimeNanos", cpuTimeNanos);
    Checks.notNegative("vcpus", vcpus);
    Checks.notNull("state", state);
  }
}
