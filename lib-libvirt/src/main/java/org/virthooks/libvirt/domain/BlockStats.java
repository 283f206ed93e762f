package org.virthooks.libvirt.domain;

/**
 * I/O counters of a guest disk (virDomainBlockStatsStruct; Sys::Virt's {@code block_stats}); a
 * counter the hypervisor does not keep is -1.
 *
 * @param readRequests read requests
 * @param readBytes bytes read
 * @param writeRequests write requests
 * @param writeBytes bytes written
 * @param errors errors (hypervisor-specific)
 */
public record BlockStats(long readRequests, long readBytes, long writeRequests, long writeBytes,
    long errors) {}
