package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.feed.Backoff;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.testing.KafkaBroker;
import org.virthooks.kafka.testing.KafkaBrokerExtension;

/**
 * Scenario 3: the broker is down for a while (25 s here, to keep CI short; the minute
 * changes only the depth) while events keep coming. Publishing keeps the spool's pace, the spool
 * grows, and drains when the broker is back.
 */
class BrokerOutageTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageTest.class);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int RATE = 200;
  private static final Duration OUTAGE = Duration.ofSeconds(25);
  private static final int EVENTS = RATE * 40;

  @TempDir
  Path spoolDir;

  @Test
  void anOutageFillsTheSpoolWithoutSlowingPublishersThenDrains() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic("outage", 3);
    try (KafkaEventSink sink = KafkaEventSink.builder()
        .bootstrapServers(broker.bootstrapServers()).topic("outage").hostId("hv-03")
        .spool(SpoolConfig.defaults(spoolDir)).maxInFlight(1_000)
        .backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)))
        .clientProperty("delivery.timeout.ms", 6_000).clientProperty("request.timeout.ms", 2_000)
        .clientProperty("max.block.ms", 2_000)
        .build().start()) {
      Stream stream = new Stream(sink, EVENTS, RATE, 20).start();
      long downAt;
      long upAt;
      long publishedDown;
      long publishedUp;
      long deepest;
      try {
        assertThat(Topics.await(() -> sink.acknowledged() >= 3 * RATE, Duration.ofSeconds(60)))
            .isTrue();
        broker.kill();
        downAt = System.nanoTime();
        publishedDown = stream.published();
        Thread.sleep(OUTAGE.toMillis());
        publishedUp = stream.published();
        deepest = sink.spoolDepthEvents();
        upAt = System.nanoTime();
        broker.restart();
        stream.join();
      } finally {
        stream.close();
      }
      long[] during = stream.latenciesBetween(downAt, upAt);
      long[] before = stream.latenciesBetween(0, downAt);
      LOG.info("publish latency before the outage: p50 {} ms, p99 {} ms; during: p50 {} ms, "
          + "p99 {} ms, max {} ms ({} events); spool depth at the end of the outage {}",
          Topics.percentileMillis(before, 50), Topics.percentileMillis(before, 99),
          Topics.percentileMillis(during, 50), Topics.percentileMillis(during, 99),
          Topics.percentileMillis(during, 100), during.length, deepest);

      // publishers went on while the broker was down: if publish waited on Kafka, none would have
      long publishedWhileDown = publishedUp - publishedDown;
      assertThat(publishedWhileDown).as("published while down")
          .isGreaterThan(RATE * OUTAGE.toSeconds() / 2);
      // the spool held them
      assertThat(deepest).isGreaterThanOrEqualTo(publishedWhileDown);
      assertThat(Topics.await(() -> sink.spoolDepthEvents() == 0, Duration.ofSeconds(120)))
          .as("drained: depth %d", sink.spoolDepthEvents()).isTrue();
      List<ConsumerRecord<byte[], byte[]>> records =
          Topics.readAll(broker.bootstrapServers(), "outage", EVENTS);
      Set<Long> sequences = records.stream().map(Topics::sequence).collect(Collectors.toSet());
      assertThat(sequences).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, EVENTS).boxed().collect(Collectors.toList()));
      Topics.assertPerKeyOrder(records);
      LOG.info("{} records, {} duplicates; resent {}, send failures {}", records.size(),
          Topics.duplicates(records), sink.resent(), sink.sendFailures());
    }
  }
}
