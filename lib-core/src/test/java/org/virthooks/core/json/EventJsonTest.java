package org.virthooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookPoint;

class EventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventStamper s = new EventStamper(SourceId.of("ldm", "host-a:6482"),
      Clock.fixed(Instant.parse("2026-11-21T10:15:30.123Z"), ZoneOffset.UTC));
  private final DomainRef ldg1 = DomainRef.of("ldg1").withId(3)
      .withUuid("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");

  private static JsonNode parse(String line) throws Exception {
    assertThat(line).doesNotContain("\n");
    return JSON.readTree(line);
  }

  @Test
  void everyEventHasTheCommonFieldsInAFixedOrder() throws Exception {
    String line = EventJson.toJson(DomainEvent.of(s.next("start-domain"), ldg1,
        DomainEvent.Kind.STARTED));
    assertThat(line).isEqualTo("{\"v\":1,\"category\":\"domain\",\"kind\":\"started\","
        + "\"action\":\"start-domain\",\"source\":\"ldm:host-a:6482\","
        + "\"time\":\"2026-11-21T10:15:30.123Z\",\"seq\":1,\"domain\":{\"name\":\"ldg1\",\"id\":3,"
        + "\"uuid\":\"4dea22b3-1d52-d8f3-2516-782e98ab3fa0\"}}");
  }

  @Test
  void aPayloadIsOneObjectAfterTheDetailWithUnsignedNumbersAndFlagsInOrder() throws Exception {
    DomainEvent e = DomainEvent.of(s.next("BLOCK_THRESHOLD"), ldg1,
        new org.virthooks.core.DomainPayload.BlockThreshold("vda[1]", Optional.empty(), 1024,
            -2L), "vda[1]");
    assertThat(EventJson.toJson(e)).endsWith("\"detail\":\"vda[1]\",\"payload\":{\"device\":"
        + "\"vda[1]\",\"threshold\":1024,\"excess\":18446744073709551614}}");
    DomainEvent m = DomainEvent.of(s.next("MEMORY_FAILURE"), ldg1,
        new org.virthooks.core.DomainPayload.MemoryFailure(
            org.virthooks.core.DomainPayload.MemoryFailureRecipient.HYPERVISOR,
            org.virthooks.core.DomainPayload.MemoryFailureAction.FATAL,
            java.util.Set.of(org.virthooks.core.DomainPayload.MemoryFailureFlag.RECURSIVE,
                org.virthooks.core.DomainPayload.MemoryFailureFlag.ACTION_REQUIRED)), "FATAL");
    assertThat(EventJson.toJson(m)).endsWith("\"payload\":{\"recipient\":\"hypervisor\","
        + "\"action\":\"fatal\",\"flags\":[\"action-required\",\"recursive\"]}}");
  }

  @Test
  void aPayloadOfAnotherKindIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DomainEvent(s.next("x"), ldg1,
        DomainEvent.Kind.GRAPHICS, Optional.empty(), Optional.of(
            new org.virthooks.core.DomainPayload.RtcChange(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rtc-change");
  }

  @Test
  void domainKindsWithTwoWordsAreHyphenatedLikeEveryOtherKind() throws Exception {
    JsonNode io = parse(EventJson.toJson(DomainEvent.of(s.next("IO_ERROR"), ldg1,
        DomainEvent.Kind.IO_ERROR, "PAUSE")));
    JsonNode control = parse(EventJson.toJson(DomainEvent.of(s.next("CONTROL_ERROR"), ldg1,
        DomainEvent.Kind.CONTROL_ERROR)));
    assertThat(io.get("kind").asText()).isEqualTo("io-error");
    assertThat(control.get("kind").asText()).isEqualTo("control-error");
  }

  @Test
  void progressAddsPercentStatusAndReporter() throws Exception {
    JsonNode n = parse(EventJson.toJson(new ProgressEvent(s.next("migration-process"),
        Optional.of(DomainRef.of("ldg1")), ProgressEvent.Kind.MIGRATION, OptionalInt.of(45),
        ProgressEvent.Status.ONGOING, Optional.of("host-b"))));
    assertThat(n.get("category").asText()).isEqualTo("progress");
    assertThat(n.get("kind").asText()).isEqualTo("migration");
    assertThat(n.get("percent").asInt()).isEqualTo(45);
    assertThat(n.get("status").asText()).isEqualTo("ongoing");
    assertThat(n.get("reporter").asText()).isEqualTo("host-b");
  }

  @Test
  void resourceAddsOperationResourceNameAndService() throws Exception {
    JsonNode n = parse(EventJson.toJson(ResourceEvent.of(s.next("set-vswitch"), ldg1,
        Operation.SET, ResourceType.VSWITCH).withService("primary-vsw0")));
    assertThat(n.get("kind").asText()).isEqualTo("set-vswitch");
    assertThat(n.get("operation").asText()).isEqualTo("set");
    assertThat(n.get("resource").asText()).isEqualTo("vswitch");
    assertThat(n.get("service").asText()).isEqualTo("primary-vsw0");
    assertThat(n.has("name")).isFalse();
    JsonNode port = parse(EventJson.toJson(ResourceEvent.of(s.next("port-created"), null,
        Operation.ADD, ResourceType.NETWORK_PORT)));
    assertThat(port.get("resource").asText()).isEqualTo("network-port");
    assertThat(port.get("domain").isNull()).isTrue();
  }

  @Test
  void hardwareAddsOperationConfigAndStatus() throws Exception {
    JsonNode n = parse(EventJson.toJson(HardwareEvent.spConfig(s.next("add-spconfig"),
        Operation.ADD, "primary", "current")));
    assertThat(n.get("category").asText()).isEqualTo("hardware");
    assertThat(n.get("kind").asText()).isEqualTo("spconfig");
    assertThat(n.get("operation").asText()).isEqualTo("add");
    assertThat(n.get("config").asText()).isEqualTo("primary");
    assertThat(n.get("configStatus").asText()).isEqualTo("current");
    assertThat(n.get("domain").isNull()).isTrue();
  }

  @Test
  void sourceAndOtherEventsAndAttributes() throws Exception {
    JsonNode src = parse(EventJson.toJson(SourceEvent.of(s.next("eof"),
        SourceEvent.Kind.CONNECTION_LOST, "end of stream")));
    assertThat(src.get("kind").asText()).isEqualTo("connection-lost");
    assertThat(src.get("message").asText()).isEqualTo("end of stream");
    JsonNode other = parse(EventJson.toJson(new OtherEvent(s.next("frob-domain",
        Map.of("gprop.foo", "bar")), Optional.empty())));
    assertThat(other.get("category").asText()).isEqualTo("other");
    assertThat(other.get("kind").asText()).isEqualTo("other");
    assertThat(other.get("attributes").get("gprop.foo").asText()).isEqualTo("bar");
  }

  @Test
  void hostileStringsAreEscapedAndStayOnOneLine() throws Exception {
    String nasty = "ev\"il\n\\name\u0000\u2028</script>é";
    String line = EventJson.toJson(DomainEvent.of(s.next(nasty), DomainRef.of(nasty),
        DomainEvent.Kind.OTHER, nasty));
    JsonNode n = parse(line);
    assertThat(n.get("action").asText()).isEqualTo(nasty);
    assertThat(n.get("domain").get("name").asText()).isEqualTo(nasty);
    assertThat(n.get("detail").asText()).isEqualTo(nasty);
  }

  @Test
  void hookCallsHavePointPhaseAndDocument() throws Exception {
    HookCall c = HookCall.of(HookPoint.filter("domain.restore"), SourceId.of("libvirt", "qemu"),
        "restore begin -").withDomain(DomainRef.of("web")).withDocument("<domain type='kvm'/>")
        .withAttributes(Map.of("extra", "-"));
    JsonNode n = parse(EventJson.toJson(c));
    assertThat(n.get("point").asText()).isEqualTo("domain.restore");
    assertThat(n.get("phase").asText()).isEqualTo("filter");
    assertThat(n.get("document").asText()).isEqualTo("<domain type='kvm'/>");
    assertThat(n.get("domain").get("name").asText()).isEqualTo("web");
    assertThat(n.get("attributes").get("extra").asText()).isEqualTo("-");
  }
}
