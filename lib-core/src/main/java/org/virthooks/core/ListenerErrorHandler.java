package org.virthooks.core;

/**
 * Told when a listener or its filter throws. It runs on the delivering thread; it must not throw
 * itself (if it does, the dispatcher logs that and goes on).
 */
@FunctionalInterface
public interface ListenerErrorHandler {
  /** Called with the registration whose listener threw, the event, and what it threw. */
  void onListenerError(Registration registration, VirtEvent event, Throwable error);
}
