package org.virthooks.kafka.spool;

/** What a full {@link Spool} does with the next append. */
public enum FullPolicy {
  /** The publisher waits for room, up to {@link SpoolConfig#blockTimeout()}, then fails. */
  BLOCK,
  /** The oldest unacknowledged records are dropped to make room, and the loss is reported. */
  DROP_OLDEST
}
