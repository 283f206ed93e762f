package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.testing.TestEvents;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.testing.KafkaBrokerExtension;

/**
 * Scenario 5: a sink opened on a spool whose tail was torn (a crash mid-write) or corrupted (a
 * bad disk) recovers it, says what it cut, and delivers every event before the damage. The
 * events are spooled by a sink that never starts its sender, so all of them are still on disk
 * when the damage is done.
 */
class DamagedSpoolTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int EVENTS = 300;

  @TempDir
  Path spoolDir;

  @Test
  void aTornTailIsCutAndEverythingBeforeItArrives() throws Exception {
    deliveredAfterDamage("torn", segment -> {
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        f.setLength(f.length() - 7); // the last frame loses its last bytes
      }
    });
  }

  @Test
  void aCorruptedLastRecordIsCutAndEverythingBeforeItArrives() throws Exception {
    deliveredAfterDamage("flipped", segment -> {
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        long at = f.length() - 20; // inside the last frame's payload
        f.seek(at);
        int b = f.read();
        f.seek(at);
        f.write(b ^ 0x5a);
      }
    });
  }

  private interface Damage {
    void apply(Path segment) throws Exception;
  }

  private void deliveredAfterDamage(String topic, Damage damage) throws Exception {
    String servers = KAFKA.broker().bootstrapServers();
    KAFKA.broker().createTopic(topic, 2);
    Path dir = spoolDir.resolve(topic);
    SpoolConfig config = SpoolConfig.defaults(dir).withMaxBytes(16 << 20);
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers).topic(topic)
        .hostId("hv-05").spool(config).build()) {
      TestEvents events = new TestEvents(SourceId.of("test", topic));
      for (int i = 0; i < EVENTS; i++) {
        sink.publish(events.domain("vm-" + (i % 7), DomainEvent.Kind.STARTED));
      }
      assertThat(sink.spool().nextSequence()).isEqualTo(EVENTS + 1);
    }
    Path last;
    try (Stream<Path> files = Files.list(dir)) {
      last = files.filter(p -> p.getFileName().toString().startsWith("segment-"))
          .max(Path::compareTo).orElseThrow();
    }
    damage.apply(last);

    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers).topic(topic)
        .hostId("hv-05").spool(config).build()) {
      var recovery = sink.spool().recovery();
      assertThat(recovery.isClean()).isFalse();
      assertThat(recovery.bytesCut()).isPositive();
      assertThat(recovery.message()).contains(last.getFileName().toString());
      assertThat(recovery.recordsKept()).isEqualTo(EVENTS - 1);
      // the numbering goes on after the last record kept: no sequence is given twice
      assertThat(sink.spool().nextSequence()).isEqualTo(EVENTS);
      sink.start();
      assertThat(Topics.await(() -> sink.spoolDepthEvents() == 0, Duration.ofSeconds(120)))
          .isTrue();
      List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(servers, topic, EVENTS - 1);
      Set<Long> received = records.stream().map(Topics::sequence).collect(Collectors.toSet());
      assertThat(received).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, EVENTS - 1).boxed().toList());
      Topics.assertPerKeyOrder(records);
    }
  }
}
