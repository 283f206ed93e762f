package org.virthooks.core;

/**
 * Told when a subscription of an {@link EventDispatcher} is made and when it is closed: for
 * metrics or monitoring that must follow subscriptions made later. Registered with
 * {@link EventDispatcher#addSubscriptionObserver}.
 *
 * <p>Calls come under the dispatcher's registration lock, so that one observer sees the
 * subscribing and closing of each registration in order and never twice; they must be quick and
 * must not wait for another thread that subscribes or closes. What an observer throws is logged
 * and changes nothing.
 */
public interface SubscriptionObserver {
  /** {@code registration} is active: a new one, or one that existed when this observer was added. */
  void subscribed(Registration registration);

  /** {@code registration} was closed (by its owner or by {@link EventDispatcher#close()}). */
  void closed(Registration registration);
}
