package org.virthooks.core;

/**
 * Observes events after the fact.
 *
 * <p>The contract, as for OkHttp's {@code EventListener}:
 * <ul>
 *   <li><b>Be fast.</b> A synchronous listener runs on the thread that published the event, which
 *       is often an adapter's only reader thread; slow work belongs in an asynchronous
 *       subscription ({@link EventDispatcher#subscribe(Class)}), whose queue absorbs bursts.
 *   <li><b>Do not throw.</b> An exception is caught, passed to the dispatcher's
 *       {@link ListenerErrorHandler}, and the other listeners still run; it never reaches the
 *       source. Throwing is still a bug: the event is lost for this listener.
 *   <li><b>Do not block on the dispatcher.</b> A listener may publish or register, but a
 *       listener on a full {@link OverflowPolicy#BLOCK} queue that publishes into its own
 *       subscription waits for itself.
 *   <li><b>Never call back into the hypervisor synchronously</b> from a listener of a hook-script
 *       adapter: the daemon may be waiting for the hook that produced the event.
 * </ul>
 * Events are immutable and may be shared between threads and kept.
 *
 * @param <E> the event type listened to
 */
@FunctionalInterface
public interface EventListener<E extends VirtEvent> {
  /** Called once per matching event. */
  void onEvent(E event);
}
