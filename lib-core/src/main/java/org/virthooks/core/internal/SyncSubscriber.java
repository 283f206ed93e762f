package org.virthooks.core.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.VirtEvent;

/** Delivers on the publishing thread. */
public final class SyncSubscriber<E> extends Subscriber {
  /** See {@link Subscriber}. */
  public SyncSubscriber(String name, Predicate<? super E> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose) {
    super(name, filter, listener, errorHandler, onClose);
  }

  @Override
  public void offer(VirtEvent event) {
    if (active && accepts(event)) {
      deliver(event);
    }
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
