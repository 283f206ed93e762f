package org.virthooks.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Registration;
import org.virthooks.core.SubscriptionObserver;

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
 * <p>{@link #bindTo} measures the subscriptions active at that moment and every one made later;
 * a subscription's meters are removed from the registry when it is closed (and so when the
 * dispatcher is). Subscriptions are told apart by name and type, so give those you measure
 * distinct names.
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
    dispatcher.addSubscriptionObserver(new Observer(registry, tags));
  }

  // the dispatcher tells it of each subscription once and in order (under its lock), so a
  // subscription's meters are made once and removed once
  private static final class Observer implements SubscriptionObserver {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<Registration, List<Meter>> meters = new ConcurrentHashMap<>();

    Observer(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
    }

    @Override
    public void subscribed(Registration r) {
      Tags t = tags.and("subscription", r.name(), "type", r.eventType().getSimpleName());
      meters.put(r, List.of(
          FunctionCounter.builder("virthooks.subscription.delivered", r, Registration::delivered)
              .tags(t)
              .description("events handed to the subscription's listener")
              .register(registry),
          FunctionCounter.builder("virthooks.subscription.dropped", r, Registration::dropped)
              .tags(t)
              .description("events discarded by the subscription's overflow policy")
              .register(registry),
          Gauge.builder("virthooks.subscription.queued", r, Registration::queued)
              .tags(t)
              .description("events waiting in the subscription's queue")
              .register(registry)));
    }

    @Override
    public void closed(Registration r) {
      List<Meter> gone = meters.remove(r);
      if (gone != null) {
        gone.forEach(registry::remove);
      }
    }
  }
}
