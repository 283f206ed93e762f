package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic back and checks what the sink promises of it. */
final class Topics {
  private Topics() {}

  /**
   * Every record of {@code topic}, partition by partition in offset order, once at least
   * {@code atLeast} have come and nothing more came for a second (so duplicates are seen too).
   */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String servers, String topic, long atLeast) {
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
        servers, "enable.auto.commit", "false"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
      c.assign(partitions);
      c.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      long quietSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          got.add(r);
          n++;
        }
        if (n > 0) {
          quietSince = System.nanoTime();
        } else if (got.size() >= atLeast
            && System.nanoTime() - quietSince > Duration.ofSeconds(1).toNanos()) {
          break;
        }
      }
    }
    // partition by partition, in offset order: per-key order is read along one partition
    got.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(),
        b.partition()) : Long.compare(a.offset(), b.offset()));
    return got;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static long sequence(ConsumerRecord<byte[], byte[]> r) {
    return Long.parseLong(header(r, "ce_sequence"));
  }

  static String key(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.key(), StandardCharsets.UTF_8);
  }

  static String value(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  /** Duplicates: records whose id came before. */
  static long duplicates(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> ids = new HashSet<>();
    return records.stream().filter(r -> !ids.add(header(r, "ce_id"))).count();
  }

  /** Along each partition, the first copy of each key's records comes in spool order. */
  static void assertPerKeyOrder(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> ids = new HashSet<>();
    Map<String, Long> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (!ids.add(header(r, "ce_id"))) {
        continue;
      }
      long seq = sequence(r);
      Long before = last.put(key(r), seq);
      assertThat(before == null || before < seq)
          .as("key %s: sequence %d after %d", key(r), seq, before).isTrue();
    }
  }

  /** Waits for {@code condition} up to {@code timeout}; false if it never held. */
  static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /** p-th percentile (0..100) of {@code nanos}, in milliseconds. */
  static double percentileMillis(long[] nanos, double p) {
    if (nanos.length == 0) {
      return 0;
    }
    long[] s = nanos.clone();
    java.util.Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1);
    return s[Math.max(0, i)] / 1e6;
  }
}
