package org.virthooks.core.feed;

import java.time.Duration;
import org.virthooks.core.SourceId;

/**
 * An adapter's event source: a connection to one daemon (ldmd, libvirtd, …) kept alive in the
 * background, whose events are published to an {@link org.virthooks.core.EventSink}. Every
 * adapter implements it the same way (most through {@link FeedSupervisor}):
 * <ul>
 *   <li>{@link #start()} returns at once and never throws for the daemon: a first connection
 *       that fails is reported like a lost one and retried. It throws
 *       {@link IllegalStateException} when called twice or after {@link #close()}.
 *   <li>Events carry {@link #source()} and sequence numbers 1, 2, 3… without gaps.
 *   <li>When the connection breaks (or the first attempt fails) the feed publishes a
 *       {@code connection-lost} source event, reconnects with {@link Backoff}, registers again and
 *       publishes {@code connection-restored}; then, after every connect, what is true now (one
 *       event per domain with its current state, where the stack can say it) and
 *       {@code resynchronised}. A consumer that reconciles on {@code resynchronised} misses
 *       nothing that happened during the outage.
 *   <li>A sink that throws is logged and the feed goes on.
 *   <li>{@link #close()} is idempotent and returns when every thread the feed started has ended,
 *       also while it is reconnecting.
 * </ul>
 */
public interface EventFeed extends AutoCloseable {
  /** The source every event of this feed carries ({@code adapter:instance}). */
  SourceId source();

  /** Where the feed is now. */
  FeedState state();

  /**
   * Starts the feed's threads and returns; connecting happens in the background.
   *
   * @throws IllegalStateException when already started or closed
   */
  EventFeed start();

  /** Waits until connected; false when {@code timeout} passes first or the feed is closed. */
  boolean awaitConnected(Duration timeout) throws InterruptedException;

  /** Why the feed is not connected (the last attempt's error, how the connection ended), if known. */
  java.util.Optional<String> lastFailure();

  /** How many times the connection was restored after a loss. */
  long reconnections();

  /**
   * Publishes what is true now (one event per domain with its state, where the stack can say
   * it), then {@code resynchronised}; on the calling thread.
   *
   * @return false, publishing nothing, when the feed is not connected
   */
  boolean resynchronise();

  /** Closes the connection and waits for every thread the feed started to end. */
  @Override
  void close();
}
