package org.virthooks.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.VirtEvent;

/** Delivers on the publishing thread. */
public final class SyncSubscriber<E> extends Subscriber {
  // a monitoring count on the hottest path: an opaque (plain on x86) increment, no CAS. A LongAdder
  // cost the 16-listener dispatch benchmark over half its throughput; the price is that two
  // threads publishing to one sync subscription at the same instant may count one delivery once
  private static final VarHandle DELIVERED;

  static {
    try {
      DELIVERED = MethodHandles.lookup().findVarHandle(SyncSubscriber.class, "delivered",
          long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through DELIVERED
  private long delivered;

  /** See {@link Subscriber}. */
  public SyncSubscriber(String name, Class<? extends VirtEvent> type, Predicate<? super E> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose) {
    super(name, type, filter, listener, errorHandler, onClose);
  }

  @Override
  public void offer(VirtEvent event) {
    if (active && accepts(event)) {
      DELIVERED.setOpaque(this, (long) DELIVERED.getOpaque(this) + 1);
      deliver(event);
    }
  }

  @Override
  public long delivered() {
    return (long) DELIVERED.getOpaque(this);
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
