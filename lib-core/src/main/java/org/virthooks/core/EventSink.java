package org.virthooks.core;

/** Where event sources publish: an {@link EventDispatcher}, or a test's recorder. */
@FunctionalInterface
public interface EventSink {
  /**
   * Publishes an event. Listeners' exceptions never come back here; a full queue with
   * {@link OverflowPolicy#BLOCK} makes this call wait.
   */
  void publish(VirtEvent event);
}
