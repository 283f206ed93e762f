package org.virthooks.core.feed;

/** Where an {@link EventFeed} is in its life. */
public enum FeedState {
  /** Built, not started. */
  NEW,
  /** Started, making its first connection. */
  CONNECTING,
  /** Connected and registered: events flow. */
  CONNECTED,
  /** The connection broke (or the first one failed): reconnecting with backoff. */
  RECONNECTING,
  /** Closed: every thread it started has ended. */
  CLOSED
}
