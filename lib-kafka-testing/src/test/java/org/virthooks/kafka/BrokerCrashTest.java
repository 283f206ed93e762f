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
 * Scenario 2: the broker is killed with SIGKILL mid-stream and started again on its log: nothing
 * is lost, and the duplicates are counted and bounded by the window of records in flight.
 */
class BrokerCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerCrashTest.class);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int EVENTS = 12_000;
  private static final int WINDOW = 2_000;

  @TempDir
  Path spoolDir;

  @Test
  void killNineOfTheBrokerLosesNothing() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic("crash", 3);
    try (KafkaEventSink sink = KafkaEventSink.builder()
        .bootstrapServers(broker.bootstrapServers()).topic("crash").hostId("hv-02")
        .spool(SpoolConfig.defaults(spoolDir)).maxInFlight(WINDOW)
        .backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)))
        // a short delivery timeout, so that the outage fails sends and the rewind is exercised
        .clientProperty("delivery.timeout.ms", 6_000).clientProperty("request.timeout.ms", 2_000)
        .clientProperty("max.block.ms", 2_000)
        .build().start()) {
      Stream stream = new Stream(sink, EVENTS, 1_000, 50).start();
      try {
        assertThat(Topics.await(() -> sink.acknowledged() >= 2_000, Duration.ofSeconds(60)))
            .isTrue();
        broker.kill();
        long killedAt = stream.published();
        LOG.info("broker killed after {} events published, {} acknowledged", killedAt,
            sink.acknowledged());
        // down past the delivery timeout: sends fail, the sender backs off and rewinds
        Thread.sleep(8_000);
        broker.restart();
        stream.join();
      } finally {
        stream.close();
      }
      assertThat(Topics.await(() -> sink.acknowledged() >= EVENTS, Duration.ofSeconds(120)))
          .as("acknowledged %d of %d", sink.acknowledged(), EVENTS).isTrue();
      List<ConsumerRecord<byte[], byte[]>> records =
          Topics.readAll(broker.bootstrapServers(), "crash", EVENTS);
      Set<Long> sequences = records.stream().map(Topics::sequence).collect(Collectors.toSet());
      long duplicates = Topics.duplicates(records);
      LOG.info("{} records read, {} duplicates; sink: sent {}, resent {}, send failures {}",
          records.size(), duplicates, sink.sent(), sink.resent(), sink.sendFailures());

      assertThat(sequences).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, EVENTS).boxed().collect(Collectors.toList()));
      assertThat(records).hasSize(EVENTS + (int) duplicates);
      assertThat(sink.sendFailures()).as("the outage was seen").isPositive();
      assertThat(duplicates).isLessThanOrEqualTo(sink.resent()).isLessThanOrEqualTo(WINDOW);
      assertThat(sink.sent()).isEqualTo(EVENTS);
      Topics.assertPerKeyOrder(records);
    }
  }
}
