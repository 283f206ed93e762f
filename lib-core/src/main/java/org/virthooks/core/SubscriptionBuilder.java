package org.virthooks.core;

import java.util.Objects;
import java.util.function.Predicate;
import org.virthooks.core.internal.Checks;

/**
 * Configures one subscription of an {@link EventDispatcher}: filter, name, and synchronous or
 * asynchronous delivery. Not thread-safe; use it on one thread and finish with {@link #register}.
 *
 * @param <E> the event type subscribed to
 */
public final class SubscriptionBuilder<E extends VirtEvent> {
  /** Default queue capacity of {@link #async()}. */
  public static final int DEFAULT_CAPACITY = 8192;

  private final EventDispatcher dispatcher;
  private final Class<E> type;
  private Predicate<? super E> filter;
  private String name;
  private int capacity;
  private OverflowPolicy policy = OverflowPolicy.BLOCK;

  SubscriptionBuilder(EventDispatcher dispatcher, Class<E> type) {
    this.dispatcher = dispatcher;
    this.type = type;
  }

  /** Only events matching {@code predicate} are delivered; several filters must all match. */
  public SubscriptionBuilder<E> filter(Predicate<? super E> predicate) {
    Checks.notNull("filter", predicate);
    if (filter == null) {
      filter = predicate;
    } else {
      Predicate<? super E> first = filter;
      filter = e -> first.test(e) && predicate.test(e);
    }
    return this;
  }

  /** Only events of {@code source}. */
  public SubscriptionBuilder<E> from(SourceId source) {
    Objects.requireNonNull(source, "source");
    return filter(e -> source.equals(e.source()));
  }

  /** The name used in logs and error reports. */
  public SubscriptionBuilder<E> name(String subscriptionName) {
    this.name = Checks.notBlank("name", subscriptionName);
    return this;
  }

  /** Asynchronous delivery with {@link #DEFAULT_CAPACITY} and {@link OverflowPolicy#BLOCK}. */
  public SubscriptionBuilder<E> async() {
    return async(DEFAULT_CAPACITY, OverflowPolicy.BLOCK);
  }

  /** Asynchronous delivery through a queue of {@code queueCapacity} events with {@code overflow}. */
  public SubscriptionBuilder<E> async(int queueCapacity, OverflowPolicy overflow) {
    this.capacity = Checks.inRange("queueCapacity", queueCapacity, 1, 1 << 24);
    this.policy = Checks.notNull("overflow", overflow);
    return this;
  }

  /** Synchronous delivery on the publishing thread (the default). */
  public SubscriptionBuilder<E> sync() {
    this.capacity = 0;
    return this;
  }

  /** Registers {@code listener} with these settings. */
  public Registration register(EventListener<? super E> listener) {
    return dispatcher.add(type, filter, listener, name, capacity, policy);
  }
}
