package org.virthooks.kafka.spool;

/**
 * One record read back from a {@link Spool}.
 *
 * @param sequence its sequence number, unique and growing across restarts
 * @param payload the bytes appended
 */
public record SpoolRecord(long sequence, byte[] payload) {}
