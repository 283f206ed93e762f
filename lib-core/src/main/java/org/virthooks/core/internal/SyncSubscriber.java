package org.virthooks.core.internal;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.VirtEvent;

/** Delivers on the publishing thread. */
public final class SyncSubscriber<E> extends Subscriber {
  // several threads may publish at once: a plain long would lose counts. Uncontended, this is one
  // CAS on the base field; its cells are allocated only on the first contention
  private final LongAdder delivered = new LongAdder();

  /** See {@link Subscriber}. */
  public SyncSubscriber(String name, Class<? extends VirtEvent> type, Predicate<? super E> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose) {
    super(name, type, filter, listener, errorHandler, onClose);
  }

  @Override
  public void offer(VirtEvent event) {
    if (active && accepts(event)) {
      delivered.increment();
      deliver(event);
    }
  }

  @Override
  public long delivered() {
    return delivered.sum();
  }

  @Override
  public long dropped() {
    return 0;
  }

  @Override
  public int queued() {
    return 0;
  }
}
