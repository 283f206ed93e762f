package org.virthooks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virthooks.core.internal.JsonNames;

class EventModelTest {
  private final EventStamper stamper = new EventStamper(SourceId.of("test", "model"),
      Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));

  @Test
  void theStamperNumbersEventsFromOneAndKeepsTheSourceAndClock() {
    EventMeta a = stamper.next("start-domain");
    EventMeta b = stamper.next("stop-domain");
    assertThat(a.seq()).isEqualTo(1);
    assertThat(b.seq()).isEqualTo(2);
    assertThat(b.source()).hasToString("test:model");
    assertThat(b.time()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    assertThat(stamper.lastSeq()).isEqualTo(2);
  }

  @Test
  void everyRecordTypeBelongsToItsCategory() {
    for (EventCategory c : EventCategory.values()) {
      assertThat(c.eventType().getSimpleName().toUpperCase())
          .startsWith(c.name().equals("SOURCE") ? "SOURCE" : c.name());
    }
    assertThat(VirtEvent.class.getPermittedSubclasses()).hasSize(EventCategory.values().length);
  }

  @Test
  void resourceKindsCombineOperationAndTypeAndFallBackToOther() {
    DomainRef d = DomainRef.of("ldg1");
    assertThat(ResourceEvent.of(stamper.next("add-vdisk"), d, Operation.ADD, ResourceType.VDISK)
        .kindName()).isEqualTo("add-vdisk");
    assertThat(ResourceEvent.of(stamper.next("x"), null, Operation.START, ResourceType.NETWORK_PORT)
        .kindName()).isEqualTo("start-network-port");
    assertThat(ResourceEvent.of(stamper.next("grow-vfoo"), d, Operation.OTHER, ResourceType.OTHER)
        .kindName()).isEqualTo("other");
  }

  @Test
  void namesParseLeniently() {
    assertThat(ResourceType.parse("vdiskserverdevice")).isEqualTo(ResourceType.VDISKSERVERDEVICE);
    assertThat(ResourceType.parse("network-port")).isEqualTo(ResourceType.NETWORK_PORT);
    assertThat(ResourceType.parse("quantum-foo")).isEqualTo(ResourceType.OTHER);
    assertThat(Operation.parse("set")).isEqualTo(Operation.SET);
    assertThat(Operation.parse("explode")).isEqualTo(Operation.OTHER);
    assertThat(EventCategory.parse("daemon")).isEqualTo(EventCategory.SOURCE);
    assertThat(EventCategory.parse(" Domain ")).isEqualTo(EventCategory.DOMAIN);
    assertThatThrownBy(() -> EventCategory.parse("weather")).hasMessageContaining("'weather'");
  }

  @Test
  void everyJsonNameParsesBackAndSoDoesTheOldUnderscoreForm() {
    for (Class<? extends Enum<?>> type : List.of(DomainEvent.Kind.class, HardwareEvent.Kind.class,
        ProgressEvent.Kind.class, ProgressEvent.Status.class, SourceEvent.Kind.class,
        Operation.class, ResourceType.class, EventCategory.class)) {
      for (Enum<?> e : type.getEnumConstants()) {
        assertThat(JsonNames.parse(e.getDeclaringClass(), JsonNames.of(e), null)).isSameAs(e);
      }
    }
    // JSON written before the kinds were hyphenated
    assertThat(JsonNames.parse(DomainEvent.Kind.class, "io_error", null))
        .isEqualTo(DomainEvent.Kind.IO_ERROR);
    assertThat(JsonNames.parse(DomainEvent.Kind.class, "control-error", null))
        .isEqualTo(DomainEvent.Kind.CONTROL_ERROR);
  }

  @Test
  void everyResourceOfTheLdomsGuideHasAType() {
    for (String r : new String[] {"vcpu", "crypto", "memory", "io", "variable", "vconscon",
        "vconsole", "vdisk", "vdiskserver", "vdiskserverdevice", "vnet", "vswitch", "vdpcs", "vdpcc",
        "disk", "interface", "network", "network-port"}) {
      assertThat(ResourceType.parse(r)).as(r).isNotEqualTo(ResourceType.OTHER);
    }
  }

  @Test
  void percentParsesAsSourcesWriteIt() {
    assertThat(ProgressEvent.parsePercent("45%")).isEqualTo(45);
    assertThat(ProgressEvent.parsePercent(" 100 % ")).isEqualTo(100);
    assertThat(ProgressEvent.parsePercent("0")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"101%", "-1", "abc", "", "4 5%"})
  void badPercentsAreErrorsQuotingTheValue(String bad) {
    assertThatThrownBy(() -> ProgressEvent.parsePercent(bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
  }

  @Test
  void percentOutsideZeroToHundredIsRejectedByTheRecord() {
    assertThatThrownBy(() -> new ProgressEvent(stamper.next("migration-process"), Optional.empty(),
        ProgressEvent.Kind.MIGRATION, OptionalInt.of(120), ProgressEvent.Status.ONGOING,
        Optional.empty())).hasMessageContaining("percent").hasMessageContaining("120");
    assertThatThrownBy(() -> ProgressEvent.Status.parse("paused"))
        .hasMessageContaining("'paused'");
    assertThat(ProgressEvent.Status.parse("DONE")).isEqualTo(ProgressEvent.Status.DONE);
  }

  @Test
  void headersRejectBadFields() {
    SourceId s = SourceId.of("a", "b");
    assertThatThrownBy(() -> EventMeta.of(s, Instant.now(), -1, "x")).hasMessageContaining("seq");
    assertThatThrownBy(() -> EventMeta.of(s, Instant.now(), 1, " ")).hasMessageContaining("action");
    assertThatThrownBy(() -> SourceId.of("", "b")).hasMessageContaining("adapter");
    assertThatThrownBy(() -> DomainEvent.of(stamper.next("x"), null, DomainEvent.Kind.STARTED))
        .hasMessageContaining("domain");
  }

  @Test
  void unknownEventsStayDeliverableWithTheirRawAction() {
    OtherEvent o = new OtherEvent(stamper.next("frobnicate-domain"), null);
    assertThat(o.action()).isEqualTo("frobnicate-domain");
    assertThat(o.kindName()).isEqualTo("other");
    assertThat(o.optionalDomain()).isEmpty();
    DomainEvent d = DomainEvent.of(stamper.next("LIFECYCLE/99/0"), DomainRef.of("x"),
        DomainEvent.Kind.OTHER);
    assertThat(d.kindName()).isEqualTo("other");
  }

  @Test
  void attributesAreFrozen() {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    m.put("k", "v");
    EventMeta meta = stamper.next("x", m);
    m.put("k2", "v2");
    assertThat(meta.attributes()).containsOnlyKeys("k");
    assertThatThrownBy(() -> meta.attributes().put("z", "z"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
