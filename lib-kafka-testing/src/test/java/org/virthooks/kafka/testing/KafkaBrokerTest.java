package org.virthooks.kafka.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker itself: it serves on loopback, survives kill -9 with what it acknowledged, stops by PID. */
class KafkaBrokerTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void acknowledgedRecordsSurviveAKillAndRestartOnTheSamePort() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    String servers = broker.bootstrapServers();
    assertThat(servers).startsWith("127.0.0.1:");
    broker.createTopic("smoke", 1);
    produce(servers, "before");
    long pid = broker.pid();
    broker.kill();
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(broker.isRunning()).isFalse();
    broker.restart();
    assertThat(broker.bootstrapServers()).isEqualTo(servers);
    assertThat(broker.pid()).isNotEqualTo(pid);
    produce(servers, "after");
    assertThat(consumeAll(servers, "smoke", 2)).containsExactly("before", "after");
  }

  private static void produce(String servers, String value) throws Exception {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers",
        servers, "acks", "all"), new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>("smoke", "k", value)).get();
    }
  }

  static List<String> consumeAll(String servers, String topic, int count) {
    List<String> got = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
        servers, "group.id", "smoke-" + System.nanoTime(), "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (got.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          got.add(r.value());
        }
      }
    }
    return got;
  }
}
