package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.testing.TestEvents;
import org.virthooks.kafka.spool.FullPolicy;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.spool.SpoolFullException;
import org.virthooks.kafka.testing.KafkaBrokerExtension;

/**
 * Scenario 6, the sink's side: a full spool under each policy. The events are published before
 * the sender starts, so the spool fills the same way on any machine.
 */
class DropOldestTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Pattern MARKER = Pattern.compile(
      "\"count\":\"(\\d+)\",\"fromSequence\":\"(\\d+)\",\"toSequence\":\"(\\d+)\","
          + "\"ranges\":\"([0-9,-]+)\"");
  private static final int EVENTS = 2_000;

  @TempDir
  Path spoolDir;

  @Test
  void dropOldestSendsALossMarkerWithTheExactCountsAndRange() throws Exception {
    String servers = KAFKA.broker().bootstrapServers();
    KAFKA.broker().createTopic("drop", 1);
    // no fsync: what is dropped does not depend on it, and 2,000 appends from one thread are
    // seconds faster without
    SpoolConfig config = SpoolConfig.defaults(spoolDir).withMaxBytes(64 * 1024)
        .withFullPolicy(FullPolicy.DROP_OLDEST).withFsync(false);
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers).topic("drop")
        .hostId("hv-06").spool(config).build()) {
      TestEvents events = new TestEvents(SourceId.of("test", "drop"));
      for (int i = 0; i < EVENTS; i++) {
        sink.publish(events.domain("vm-" + (i % 10), DomainEvent.Kind.STARTED));
      }
      long appended = sink.spool().nextSequence() - 1;
      assertThat(sink.dropped()).as("the spool was too small for them all").isPositive();
      sink.start();
      assertThat(Topics.await(() -> sink.spoolDepthEvents() == 0, Duration.ofSeconds(120)))
          .isTrue();
      long arrived = appended - sink.dropped();
      List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(servers, "drop", arrived);

      Set<Long> received = records.stream().map(Topics::sequence).collect(Collectors.toSet());
      Set<Long> droppedSeqs = new HashSet<>();
      long markerCounts = 0;
      List<ConsumerRecord<byte[], byte[]>> markers = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (!"org.virthooks.source.events-dropped".equals(Topics.header(r, "ce_type"))) {
          continue;
        }
        markers.add(r);
        Matcher m = MARKER.matcher(Topics.value(r));
        assertThat(m.find()).as(Topics.value(r)).isTrue();
        long count = Long.parseLong(m.group(1));
        markerCounts += count;
        long inRanges = 0;
        for (String range : m.group(4).split(",")) {
          String[] ends = range.split("-");
          long from = Long.parseLong(ends[0]);
          long to = Long.parseLong(ends[1]);
          inRanges += to - from + 1;
          // no record is reported lost by two markers
          LongStream.rangeClosed(from, to).forEach(s -> assertThat(droppedSeqs.add(s)).isTrue());
        }
        assertThat(inRanges).isEqualTo(count);
        assertThat(m.group(2)).isEqualTo(m.group(4).split("[-,]")[0]);
        assertThat(Topics.header(r, "ce_source")).isEqualTo("virthooks://hv-06/kafka-sink/hv-06");
      }
      assertThat(markers).isNotEmpty();
      // exact: the markers name every sequence that did not arrive, and only those
      assertThat(markerCounts).isEqualTo(droppedSeqs.size()).isEqualTo(sink.dropped());
      assertThat(droppedSeqs).doesNotContainAnyElementsOf(received);
      Set<Long> all = new HashSet<>(received);
      all.addAll(droppedSeqs);
      assertThat(all).containsExactlyInAnyOrderElementsOf(
          LongStream.rangeClosed(1, appended).boxed().collect(Collectors.toList()));
      assertThat(records).hasSize((int) arrived);
      assertThat(sink.published()).isEqualTo(EVENTS);
      assertThat(sink.appendFailures()).isZero();
    }
  }

  @Test
  void blockFailsThePublishAfterItsBoundAndDropsNothing() throws Exception {
    String servers = KAFKA.broker().bootstrapServers();
    KAFKA.broker().createTopic("block", 1);
    SpoolConfig config = SpoolConfig.defaults(spoolDir).withMaxBytes(64 * 1024)
        .withFullPolicy(FullPolicy.BLOCK).withBlockTimeout(Duration.ofMillis(100));
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers).topic("block")
        .hostId("hv-06").spool(config).build()) {
      TestEvents events = new TestEvents(SourceId.of("test", "block"));
      int kept = 0;
      while (true) {
        DomainEvent e = events.domain("vm-1", DomainEvent.Kind.STARTED);
        try {
          sink.publish(e);
          kept++;
        } catch (UncheckedIOException full) {
          assertThat(full).hasCauseInstanceOf(SpoolFullException.class);
          break;
        }
        assertThat(kept).as("a 64 KiB spool must fill").isLessThan(10_000);
      }
      assertThat(sink.appendFailures()).isEqualTo(1);
      assertThat(sink.dropped()).isZero();
      int keptFinal = kept;
      sink.start();
      assertThat(Topics.await(() -> sink.acknowledged() >= keptFinal, Duration.ofSeconds(120)))
          .isTrue();
      List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(servers, "block", kept);
      assertThat(records).hasSize(kept);
      assertThat(records.stream().map(r -> Topics.header(r, "ce_type")))
          .doesNotContain("org.virthooks.source.events-dropped");
    }
    assertThatThrownBy(() -> KafkaEventSink.builder().bootstrapServers(servers).topic("t")
        .spool(config).clientProperty("acks", "1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks=1");
  }
}
