package org.virthooks.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The spool and sender of one {@link KafkaEventSink}, tagged with its {@code topic} and
 * {@code host}. Needs micrometer-core, an optional dependency of this module.
 *
 * <ul>
 *   <li>{@code virthooks.kafka.spool.depth} (gauge, base unit {@code events}) and
 *       {@code virthooks.kafka.spool.bytes} (gauge, {@code bytes}): unacknowledged records held.
 *   <li>{@code virthooks.kafka.oldest.unacknowledged.age} (time gauge): how long the oldest
 *       record in flight has waited.
 *   <li>Function counters {@code virthooks.kafka.published}, {@code .sent}, {@code .resent},
 *       {@code .acknowledged}, {@code .dropped}, {@code .rejected}, {@code .append.failures},
 *       {@code .send.failures}.
 *   <li>{@code virthooks.kafka.sender.state} (gauge, tag {@code state}): 1 for the sender's
 *       state, 0 for the others.
 * </ul>
 */
public final class KafkaSinkMetrics implements MeterBinder {
  private final KafkaEventSink sink;
  private final Tags tags;

  /** Metrics of {@code sink}. */
  public KafkaSinkMetrics(KafkaEventSink sink) {
    this(sink, Tags.empty());
  }

  /** Metrics of {@code sink}, with {@code tags} added to each meter. */
  public KafkaSinkMetrics(KafkaEventSink sink, Iterable<Tag> tags) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.tags = Tags.of(tags).and("topic", sink.topic(), "host", sink.hostId());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("virthooks.kafka.spool.depth", sink, KafkaEventSink::spoolDepthEvents)
        .tags(tags).baseUnit("events")
        .description("unacknowledged events in the spool").register(registry);
    Gauge.builder("virthooks.kafka.spool.bytes", sink, KafkaEventSink::spoolDepthBytes)
        .tags(tags).baseUnit("bytes")
        .description("bytes of unacknowledged events in the spool").register(registry);
    TimeGauge.builder("virthooks.kafka.oldest.unacknowledged.age", sink, TimeUnit.MILLISECONDS,
            s -> s.oldestUnacknowledgedAge().toMillis())
        .tags(tags).description("how long the oldest event in flight has waited")
        .register(registry);
    counter(registry, "published", KafkaEventSink::published, "events published and spooled");
    counter(registry, "sent", KafkaEventSink::sent, "records sent for the first time");
    counter(registry, "resent", KafkaEventSink::resent,
        "records sent again after a failure (an upper bound of duplicates)");
    counter(registry, "acknowledged", KafkaEventSink::acknowledged, "records the broker confirmed");
    counter(registry, "dropped", KafkaEventSink::dropped, "records dropped by a full spool");
    counter(registry, "rejected", KafkaEventSink::rejected, "records Kafka refuses for good");
    counter(registry, "append.failures", KafkaEventSink::appendFailures,
        "events the spool did not keep");
    counter(registry, "send.failures", KafkaEventSink::sendFailures,
        "failures that made the sender back off");
    for (SenderState s : SenderState.values()) {
      Gauge.builder("virthooks.kafka.sender.state", sink, k -> k.senderState() == s ? 1 : 0)
          .tags(tags.and("state", s.name().toLowerCase(Locale.ROOT)))
          .description("1 for the state the sender is in, 0 for the others").register(registry);
    }
  }

  private void counter(MeterRegistry registry, String name, ToDoubleFunction<KafkaEventSink> f,
      String description) {
    FunctionCounter.builder("virthooks.kafka." + name, sink, f).tags(tags)
        .description(description).register(registry);
  }
}
