package org.virthooks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.VirtEvent;
import org.virthooks.kafka.KafkaEventSink;
import org.virthooks.kafka.testing.KafkaBroker;

/**
 * The demo's fleet part ({@code demo --fleet}): a local Kafka broker (a child JVM on 127.0.0.1),
 * the demo's feeds published through the agent's Kafka sink and spool, and the topic read back
 * as a consumer elsewhere in the fleet would.
 */
final class DemoFleet {
  private static final String TOPIC = "virt-events";

  private DemoFleet() {}

  /** Runs the fleet scenario, printing to {@code out}; returns a one-line note for the summary. */
  static String run(PrintWriter out) throws Exception {
    out.println("fleet: starting a local Kafka broker (a child JVM, about 10 s) ...");
    out.flush();
    Path spool = Files.createTempDirectory("virthooks-demo-spool");
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic(TOPIC, 3);
      AgentConfig config = AgentConfig.of(new Properties(), Map.of("host.id", "demo-host",
          "relay.socket", spool.resolve("unused.sock").toString(),
          "kafka.bootstrap.servers", broker.bootstrapServers(), "kafka.topic", TOPIC,
          "spool.dir", spool.toString(), "spool.max.bytes", "64m"));
      long published;
      long acknowledged;
      try (EventDispatcher events = EventDispatcher.create();
          KafkaEventSink sink = Agent.kafkaSink(config)) {
        events.on(VirtEvent.class, sink::publish);
        DemoLibvirt.run(events);
        DemoLdoms.run(events);
        DemoXen.run(events);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sink.acknowledged() < sink.published() && System.nanoTime() < end) {
          Thread.sleep(20);
        }
        published = sink.published();
        acknowledged = sink.acknowledged();
      }
      List<ConsumerRecord<byte[], byte[]>> records = readBack(broker.bootstrapServers(),
          published);
      Map<String, Integer> byType = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        Header type = r.headers().lastHeader("ce_type");
        byType.merge(type == null ? "?" : new String(type.value(),
            java.nio.charset.StandardCharsets.UTF_8), 1, Integer::sum);
      }
      out.println("fleet: the first records on topic " + TOPIC + ", as `virthooks kafka tail` "
          + "prints them:");
      records.stream().limit(3).forEach(r -> out.println("  " + KafkaCommand.line(r)));
      out.println("fleet: CloudEvents types read back: " + byType);
      return "fleet: " + published + " events spooled and sent, " + acknowledged
          + " acknowledged by the broker at " + broker.bootstrapServers() + ", " + records.size()
          + " read back from " + TOPIC;
    } finally {
      deleteTree(spool);
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readBack(String bootstrap, long expected) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (out.size() < expected && System.nanoTime() < end) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
