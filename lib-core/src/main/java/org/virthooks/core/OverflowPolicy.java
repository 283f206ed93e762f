package org.virthooks.core;

/** What an asynchronous subscription does when its bounded queue is full. */
public enum OverflowPolicy {
  /**
   * The publisher waits until there is room: nothing is lost, but a slow listener slows its
   * source down. The default.
   */
  BLOCK,
  /** The oldest queued event is discarded to make room; counted in {@link Registration#dropped()}. */
  DROP_OLDEST,
  /** The new event is discarded; counted in {@link Registration#dropped()}. */
  DROP_NEWEST
}
