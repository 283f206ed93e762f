package org.virthooks.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.testing.TestEvents;
import org.virthooks.kafka.CloudEventFormat;
import org.virthooks.kafka.ContentMode;

class SpooledEventTest {
  private final TestEvents events = new TestEvents(SourceId.of("ldm", "sp-1:6482"));
  private final UUID uuid = UUID.fromString("00000000-0000-0000-0000-00000000abcd");

  @Test
  void binaryRecordCarriesTheAttributesAsHeadersAndTheJsonLineAsValue() {
    VirtEvent e = DomainEvent.of(events.stamper().next("start-domain"),
        DomainRef.of("ldg1").withUuid(uuid), DomainEvent.Kind.STARTED);
    SpooledEvent s = SpooledEvent.decode(SpooledEvent.encode(e, "hv", "00ff", ContentMode.BINARY,
        1234));
    ProducerRecord<byte[], byte[]> r = s.toRecord("t", 42);

    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(uuid.toString());
    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(EventJson.toJson(e));
    assertThat(headers(r)).containsExactly(
        "ce_specversion=1.0",
        "ce_id=hv/00ff/42",
        "ce_source=virthooks://hv/ldm/sp-1:6482",
        "ce_type=org.virthooks.domain.started",
        "ce_time=" + e.time(),
        "ce_subject=ldg1",
        "ce_partitionkey=" + uuid,
        "ce_sequence=0000000000000000042",
        "content-type=application/json");
    assertThat(s.appendedAtMillis()).isEqualTo(1234);
  }

  @Test
  void aResendIsTheSameRecordByteForByte() {
    VirtEvent e = events.domain("vm", DomainEvent.Kind.STOPPED);
    for (ContentMode mode : ContentMode.values()) {
      byte[] stored = SpooledEvent.encode(e, "hv", "1", mode, 1);
      ProducerRecord<byte[], byte[]> a = SpooledEvent.decode(stored).toRecord("t", 7);
      ProducerRecord<byte[], byte[]> b = SpooledEvent.decode(stored.clone()).toRecord("t", 7);
      assertThat(a.value()).isEqualTo(b.value());
      assertThat(a.key()).isEqualTo(b.key());
      assertThat(headers(a)).isEqualTo(headers(b));
    }
  }

  @Test
  void keyIsTheUuidElseHostAndNameElseTheHost() {
    assertThat(SpooledEvent.key(events.domain("vm 1", DomainEvent.Kind.STARTED), "hv"))
        .isEqualTo("hv/vm 1");
    assertThat(SpooledEvent.key(events.source(SourceEvent.Kind.STARTED), "hv")).isEqualTo("hv");
  }

  @Test
  void sourceEscapesTheInstanceAsAPathSegment() {
    VirtEvent e = new TestEvents(SourceId.of("libvirt", "qemu+ssh://root@h/system?x=1"))
        .source(SourceEvent.Kind.STARTED);
    String source = SpooledEvent.source("hv", e);
    assertThat(source).isEqualTo("virthooks://hv/libvirt/qemu+ssh:%2F%2Froot@h%2Fsystem%3Fx=1");
    assertThat(java.net.URI.create(source).getPath()).isEqualTo(
        "/libvirt/qemu+ssh://root@h/system?x=1");
  }

  @Test
  void structuredRecordIsAnEnvelopeWithTheJsonLineAsData() {
    VirtEvent e = events.domain("vm", DomainEvent.Kind.STARTED);
    ProducerRecord<byte[], byte[]> r = SpooledEvent.decode(SpooledEvent.encode(e, "hv", "1",
        ContentMode.STRUCTURED, 1)).toRecord("t", 3);
    String value = new String(r.value(), StandardCharsets.UTF_8);
    assertThat(value).startsWith("{\"specversion\":\"1.0\",\"id\":\"hv/1/3\",")
        .contains("\"sequence\":\"0000000000000000003\"")
        .endsWith(",\"datacontenttype\":\"application/json\",\"data\":" + EventJson.toJson(e)
            + "}");
    assertThat(headers(r)).containsExactly(
        "content-type=" + CloudEventFormat.STRUCTURED_CONTENT_TYPE);
  }

  @Test
  void sequenceSortsAsText() {
    List<String> s = Arrays.asList(CloudEventFormat.sequence(10), CloudEventFormat.sequence(9),
        CloudEventFormat.sequence(Long.MAX_VALUE), CloudEventFormat.sequence(1));
    assertThat(s.stream().sorted().collect(Collectors.toList())).containsExactly(
        CloudEventFormat.sequence(1), CloudEventFormat.sequence(9), CloudEventFormat.sequence(10),
        CloudEventFormat.sequence(Long.MAX_VALUE));
  }

  @Test
  void anotherFormatIsRefused() {
    assertThatThrownBy(() -> SpooledEvent.decode(new byte[] {9, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> headers(ProducerRecord<byte[], byte[]> r) {
    return StreamSupport.stream(r.headers().spliterator(), false)
        .map((Header h) -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }
}
