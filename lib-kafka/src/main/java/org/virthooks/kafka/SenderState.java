package org.virthooks.kafka;

/** What the background sender of a {@link KafkaEventSink} is doing. */
public enum SenderState {
  /** Built, not started: events are spooled, nothing is sent. */
  NEW,
  /** Sending from the spool, or waiting for the next event. */
  SENDING,
  /** A send failed (the broker is down, a timeout, an error): waiting before it rebuilds the producer and sends again. */
  BACKING_OFF,
  /** Closing: sending what it can within the grace period. */
  DRAINING,
  /** Stopped; what was not acknowledged stays in the spool for the next start. */
  CLOSED
}
