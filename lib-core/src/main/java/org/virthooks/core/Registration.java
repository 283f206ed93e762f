package org.virthooks.core;

/**
 * A listener's or hook's registration. {@link #close()} removes it; closing twice does nothing.
 * Use it in try-with-resources or keep it to unregister later.
 */
public interface Registration extends AutoCloseable {
  /** The name given at registration, or a generated one. */
  String name();

  /** True until {@link #close()}. */
  boolean isActive();

  /**
   * The event type subscribed to (a record type or {@link VirtEvent}), as given to
   * {@link EventDispatcher#subscribe}.
   */
  Class<? extends VirtEvent> eventType();

  /**
   * Events handed to this registration's listener so far (whether it returned or threw); events
   * its filter rejected and events discarded are not counted. A monitoring count: exact for an
   * asynchronous subscription; for a synchronous one, two threads publishing at the same instant
   * may be counted once (an exact count cost synchronous dispatch half its speed).
   */
  long delivered();

  /** Events discarded for this registration by its {@link OverflowPolicy}; 0 for synchronous ones. */
  long dropped();

  /** Events waiting in this registration's queue; 0 for synchronous ones. */
  int queued();

  /**
   * Removes the registration. Events published after it returns are not delivered; a delivery
   * already under way on another thread (one that passed its check just before) still completes.
   * Queued events are discarded.
   */
  @Override
  void close();
}
