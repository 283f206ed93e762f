package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventMeta;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.testing.TestEvents;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.testing.KafkaBrokerExtension;

/**
 * Scenario 7: the CloudEvents Java SDK's Kafka deserializer reads every record the sink writes,
 * in both content modes, with every attribute as the record format table says.
 */
class CloudEventsInteropTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UUID UUID_1 = UUID.fromString("6e3b0b5e-8f39-4e55-9a1f-0c1b5bd0a001");

  @TempDir
  Path spoolDir;

  static List<VirtEvent> everyShape() {
    TestEvents t = new TestEvents(SourceId.of("libvirt", "qemu:///system"));
    EventMeta meta = t.stamper().next("odd", Map.of("k", "v é"));
    return List.of(
        DomainEvent.of(t.stamper().next("LIFECYCLE/STARTED/BOOTED"),
            DomainRef.of("web 1").withId(4).withUuid(UUID_1), DomainEvent.Kind.STARTED, "BOOTED"),
        t.domain("no-uuid", DomainEvent.Kind.STOPPED),
        t.resource("no-uuid", Operation.ADD, ResourceType.VCPU),
        t.progress("web 1", 40, ProgressEvent.Status.ONGOING),
        t.source(SourceEvent.Kind.CONNECTION_LOST),
        HardwareEvent.spConfig(t.stamper().next("add-spconfig"), Operation.ADD, "factory", null),
        new OtherEvent(meta, Optional.empty()));
  }

  @ParameterizedTest
  @EnumSource(ContentMode.class)
  void theSdkReadsEveryRecordWithTheAttributesOfTheTable(ContentMode mode) throws Exception {
    String servers = KAFKA.broker().bootstrapServers();
    String topic = "interop-" + mode.name().toLowerCase(java.util.Locale.ROOT);
    KAFKA.broker().createTopic(topic, 2);
    List<VirtEvent> events = everyShape();
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers).topic(topic)
        .hostId("hv-07").contentMode(mode).spool(SpoolConfig.defaults(spoolDir)).build()
        .start()) {
      events.forEach(sink::publish);
      assertThat(Topics.await(() -> sink.acknowledged() >= events.size(),
          Duration.ofSeconds(60))).isTrue();
    }
    List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(servers, topic, events.size());
    assertThat(records).hasSize(events.size());
    records.sort((a, b) -> Long.compare(sequenceOf(mode, a), sequenceOf(mode, b)));

    try (CloudEventDeserializer sdk = new CloudEventDeserializer()) {
      sdk.configure(Map.of(), false);
      for (int i = 0; i < events.size(); i++) {
        VirtEvent e = events.get(i);
        ConsumerRecord<byte[], byte[]> r = records.get(i);
        CloudEvent ce = sdk.deserialize(topic, r.headers(), r.value());
        long seq = i + 1;
        String key = e.optionalDomain().map(d -> d.uuid().map(UUID::toString)
            .orElse("hv-07/" + d.name())).orElse("hv-07");

        assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(ce.getId()).matches("hv-07/[0-9a-f]{16}/" + seq);
        assertThat(ce.getSource()).isEqualTo(URI.create(
            "virthooks://hv-07/libvirt/qemu:%2F%2F%2Fsystem"));
        assertThat(ce.getType()).isEqualTo("org.virthooks." + e.category().jsonName() + "."
            + e.kindName());
        assertThat(ce.getTime()).isEqualTo(OffsetDateTime.ofInstant(e.time(),
            java.time.ZoneOffset.UTC));
        assertThat(ce.getSubject()).isEqualTo(e.optionalDomain().map(DomainRef::name)
            .orElse(null));
        assertThat(ce.getDataContentType()).isEqualTo("application/json");
        assertThat(ce.getExtension("partitionkey")).isEqualTo(key);
        assertThat(ce.getExtension("sequence")).isEqualTo(String.format("%019d", seq));
        assertThat(Topics.key(r)).isEqualTo(key);
        assertThat(JSON.readTree(ce.getData().toBytes()))
            .isEqualTo(JSON.readTree(EventJson.toJson(e)));
        if (mode == ContentMode.BINARY) {
          // binary: the value is the JSON line itself, byte for byte
          assertThat(Topics.value(r)).isEqualTo(EventJson.toJson(e));
          assertThat(Topics.header(r, "content-type")).isEqualTo("application/json");
        } else {
          assertThat(Topics.header(r, "content-type"))
              .isEqualTo("application/cloudevents+json; charset=UTF-8");
          assertThat(r.headers().toArray()).hasSize(1);
        }
      }
    }
  }

  private static long sequenceOf(ContentMode mode, ConsumerRecord<byte[], byte[]> r) {
    try {
      return mode == ContentMode.BINARY ? Topics.sequence(r)
          : Long.parseLong(JSON.readTree(r.value()).get("sequence").asText());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
