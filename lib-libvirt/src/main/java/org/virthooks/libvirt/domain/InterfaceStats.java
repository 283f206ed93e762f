package org.virthooks.libvirt.domain;

/**
 * Traffic counters of a guest interface (virDomainInterfaceStatsStruct; Sys::Virt's
 * {@code interface_stats}); a counter the hypervisor does not keep is -1.
 *
 * @param rxBytes bytes received
 * @param rxPackets packets received
 * @param rxErrors packets received with errors
 * @param rxDrops packets dropped at reception
 * @param txBytes bytes transmitted
 * @param txPackets packets transmitted
 * @param txErrors packets transmitted with errors
 * @param txDrops packets dropped at transmission
 */
public record InterfaceStats(long rxBytes, long rxPackets, long rxErrors, long rxDrops,
    long txBytes, long txPackets, long txErrors, long txDrops) {}
