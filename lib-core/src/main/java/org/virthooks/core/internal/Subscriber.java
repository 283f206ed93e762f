package org.virthooks.core.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.Registration;
import org.virthooks.core.VirtEvent;

/** One subscription inside the dispatcher; {@link #offer} is its entry from the publish loop. */
public abstract class Subscriber implements Registration {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);

  private final String name;
  private final Class<? extends VirtEvent> type;
  private final Predicate<VirtEvent> filter;
  private final EventListener<VirtEvent> listener;
  private final ListenerErrorHandler errorHandler;
  private final Consumer<Subscriber> onClose;
  protected volatile boolean active = true;

  @SuppressWarnings("unchecked")
  protected Subscriber(String name, Class<? extends VirtEvent> type, Predicate<?> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose) {
    this.name = name;
    this.type = type;
    // the dispatcher only offers events of the subscribed type, so the casts hold
    this.filter = (Predicate<VirtEvent>) filter;
    this.listener = (EventListener<VirtEvent>) listener;
    this.errorHandler = errorHandler;
    this.onClose = onClose;
  }

  /** Takes an event from the publish loop; must not throw. */
  public abstract void offer(VirtEvent event);

  /** True when the filter accepts the event; a throwing filter is reported and rejects it. */
  protected final boolean accepts(VirtEvent event) {
    if (filter == null) {
      return true;
    }
    try {
      return filter.test(event);
    } catch (Throwable t) {
      report(event, t);
      return false;
    }
  }

  /** Calls the listener, reporting what it throws. */
  protected final void deliver(VirtEvent event) {
    try {
      listener.onEvent(event);
    } catch (Throwable t) {
      report(event, t);
    }
  }

  private void report(VirtEvent event, Throwable t) {
    try {
      errorHandler.onListenerError(this, event, t);
    } catch (Throwable again) {
      again.addSuppressed(t);
      LOG.error("error handler threw while reporting listener '{}'", name, again);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Class<? extends VirtEvent> eventType() {
    return type;
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public void close() {
    if (active) {
      active = false;
      onClose.accept(this);
      discardQueued();
    }
  }

  /** True when nothing is queued or being delivered asynchronously. */
  public boolean isIdle() {
    return true;
  }

  /** Empties the queue of an asynchronous subscriber. */
  protected void discardQueued() {}

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}
