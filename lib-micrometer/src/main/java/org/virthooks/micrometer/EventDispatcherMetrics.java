package org.virthooks.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Registration;

/**
 * Delivered, dropped and queued events of each subscription of an {@link EventDispatcher}, tagged
 * with the subscription's {@code subscription} name and event {@code type} (the simple name of
 * the type subscribed to: {@code DomainEvent}, {@code VirtEvent}, …).
 *
 * <ul>
 *   <li>{@code virthooks.subscription.delivered} (function counter): events handed to the
 *       listener.
 *   <li>{@code virthooks.subscription.dropped} (function counter): events discarded by the
 *       subscription's overflow policy; always 0 for a synchronous one.
 *   <li>{@code virthooks.subscription.queued} (gauge): the depth of the subscription's queue;
 *       always 0 for a synchronous one.
 * </ul>
 *
 * <p>{@link #bindTo} measures the subscriptions active at that moment: bind once subscriptions
 * are made, and bind again after making more (meters already registered are kept). Subscriptions
 * are told apart by name and type, so give those you measure distinct names.
 */
public final class EventDispatcherMetrics implements MeterBinder {
  private final EventDispatcher dispatcher;
  private final Tags tags;

  /** Metrics of the subscriptions of {@code dispatcher}. */
  public EventDispatcherMetrics(EventDispatcher dispatcher) {
    this(dispatcher, Tags.empty());
  }

  /** Metrics of the subscriptions of {@code dispatcher}, with {@code tags} added to each meter. */
  public EventDispatcherMetrics(EventDispatcher dispatcher, Iterable<Tag> tags) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.tags = Tags.of(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Registration r : dispatcher.registrations()) {
      Tags t = tags.and("subscription", r.name(), "type", r.eventType().getSimpleName());
      FunctionCounter.builder("virthooks.subscription.delivered", r, Registration::delivered)
          .tags(t)
          .description("events handed to the subscription's listener")
          .register(registry);
      FunctionCounter.builder("virthooks.subscription.dropped", r, Registration::dropped)
          .tags(t)
          .description("events discarded by the subscription's overflow policy")
          .register(registry);
      Gauge.builder("virthooks.subscription.queued", r, Registration::queued)
          .tags(t)
          .description("events waiting in the subscription's queue")
          .register(registry);
    }
  }
}
