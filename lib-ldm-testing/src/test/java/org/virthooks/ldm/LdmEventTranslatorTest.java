package org.virthooks.ldm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.testing.SeedEvents;

/** Every event name of the seed, table-driven, through XML text into its typed event. */
class LdmEventTranslatorTest {
  private final LdmEventTranslator translator = new LdmEventTranslator(new EventStamper(
      SourceId.of("ldm", "test:6482"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));

  /** Goes through text so that the writer and the reader are part of every case. */
  private VirtEvent roundTrip(LdmEvent e) throws LdmParseException {
    LdmXml xml = LdmXml.defaults();
    List<VirtEvent> out = translator.translate(xml.readEvent(xml.writeBytes(e)));
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  static Stream<Arguments> domainEvents() {
    return Stream.of(
        Arguments.of("add-domain", DomainEvent.Kind.DEFINED),
        Arguments.of("remove-domain", DomainEvent.Kind.UNDEFINED),
        Arguments.of("bind-domain", DomainEvent.Kind.BOUND),
        Arguments.of("unbind-domain", DomainEvent.Kind.UNBOUND),
        Arguments.of("start-domain", DomainEvent.Kind.STARTED),
        Arguments.of("stop-domain", DomainEvent.Kind.STOPPED),
        Arguments.of("domain-reset", DomainEvent.Kind.RESET),
        Arguments.of("panic-domain", DomainEvent.Kind.PANICKED),
        Arguments.of("migrate-domain", DomainEvent.Kind.MIGRATED));
  }

  @ParameterizedTest
  @MethodSource("domainEvents")
  void domainEvent(String action, DomainEvent.Kind kind) throws Exception {
    VirtEvent e = roundTrip(SeedEvents.event(action, "ldg1"));
    assertThat(e).isInstanceOfSatisfying(DomainEvent.class, d -> {
      assertThat(d.kind()).isEqualTo(kind);
      assertThat(d.domain()).isEqualTo(DomainRef.of("ldg1"));
      assertThat(d.action()).isEqualTo(action);
      assertThat(d.source()).isEqualTo(SourceId.of("ldm", "test:6482"));
      assertThat(d.meta().attributes()).containsEntry("ldm.version", "1.0");
    });
  }

  static Stream<Arguments> hardwareEvents() {
    return Stream.of(
        Arguments.of("add-spconfig", Operation.ADD),
        Arguments.of("set-spconfig", Operation.SET),
        Arguments.of("remove-spconfig", Operation.REMOVE));
  }

  @ParameterizedTest
  @MethodSource("hardwareEvents")
  void hardwareEvent(String action, Operation op) throws Exception {
    VirtEvent e = roundTrip(SeedEvents.spconfig(action, "factory-default", "next"));
    assertThat(e).isInstanceOfSatisfying(HardwareEvent.class, h -> {
      assertThat(h.kind()).isEqualTo(HardwareEvent.Kind.SPCONFIG);
      assertThat(h.operation()).isEqualTo(op);
      assertThat(h.config()).contains("factory-default");
      assertThat(h.configStatus()).contains("next");
    });
  }

  static Stream<Arguments> progress() {
    return Stream.of(
        Arguments.of("45%", "ongoing", OptionalInt.of(45), ProgressEvent.Status.ONGOING),
        Arguments.of("100%", "done", OptionalInt.of(100), ProgressEvent.Status.DONE),
        Arguments.of(" 3 % ", "FAILED", OptionalInt.of(3), ProgressEvent.Status.FAILED),
        Arguments.of("lots", "ongoing", OptionalInt.empty(), ProgressEvent.Status.ONGOING));
  }

  @ParameterizedTest
  @MethodSource("progress")
  void migrationProcess(String progress, String status, OptionalInt percent,
      ProgressEvent.Status expected) throws Exception {
    VirtEvent e = roundTrip(SeedEvents.migration("ldg2", progress, status, "host-b"));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.class, p -> {
      assertThat(p.kind()).isEqualTo(ProgressEvent.Kind.MIGRATION);
      assertThat(p.domain()).contains(DomainRef.of("ldg2"));
      assertThat(p.percent()).isEqualTo(percent);
      assertThat(p.status()).isEqualTo(expected);
      assertThat(p.reporter()).contains("host-b");
    });
  }

  static Stream<Arguments> resourceEvents() {
    return Stream.of(
        Arguments.of("add-vdiskserverdevice", Operation.ADD, ResourceType.VDISKSERVERDEVICE, "primary-vds0"),
        Arguments.of("remove-vdiskserverdevice", Operation.REMOVE, ResourceType.VDISKSERVERDEVICE, "primary-vds0"),
        Arguments.of("set-vdiskserverdevice", Operation.SET, ResourceType.VDISKSERVERDEVICE, "primary-vds0"),
        Arguments.of("remove-vdiskserver", Operation.REMOVE, ResourceType.VDISKSERVER, "primary-vds0"),
        Arguments.of("set-vconscon", Operation.SET, ResourceType.VCONSCON, "primary-vcc0"),
        Arguments.of("remove-vconscon", Operation.REMOVE, ResourceType.VCONSCON, "primary-vcc0"),
        Arguments.of("set-vswitch", Operation.SET, ResourceType.VSWITCH, "primary-vsw0"),
        Arguments.of("remove-vswitch", Operation.REMOVE, ResourceType.VSWITCH, "primary-vsw0"),
        Arguments.of("remove-vdpcs", Operation.REMOVE, ResourceType.VDPCS, "primary-vdpcs0"),
        Arguments.of("add-vcpu", Operation.ADD, ResourceType.VCPU, null),
        Arguments.of("add-crypto", Operation.ADD, ResourceType.CRYPTO, null),
        Arguments.of("add-memory", Operation.ADD, ResourceType.MEMORY, null),
        Arguments.of("add-io", Operation.ADD, ResourceType.IO, null),
        Arguments.of("add-variable", Operation.ADD, ResourceType.VARIABLE, null),
        Arguments.of("add-vconscon", Operation.ADD, ResourceType.VCONSCON, null),
        Arguments.of("add-vdisk", Operation.ADD, ResourceType.VDISK, "primary-vds0"),
        Arguments.of("add-vdiskserver", Operation.ADD, ResourceType.VDISKSERVER, null),
        Arguments.of("add-vnet", Operation.ADD, ResourceType.VNET, "primary-vsw0"),
        Arguments.of("add-vswitch", Operation.ADD, ResourceType.VSWITCH, null),
        Arguments.of("add-vdpcs", Operation.ADD, ResourceType.VDPCS, null),
        Arguments.of("add-vdpcc", Operation.ADD, ResourceType.VDPCC, null),
        Arguments.of("set-vcpu", Operation.SET, ResourceType.VCPU, null),
        Arguments.of("set-crypto", Operation.SET, ResourceType.CRYPTO, null),
        Arguments.of("set-memory", Operation.SET, ResourceType.MEMORY, null),
        Arguments.of("set-variable", Operation.SET, ResourceType.VARIABLE, null),
        Arguments.of("set-vnet", Operation.SET, ResourceType.VNET, "primary-vsw0"),
        Arguments.of("set-vconsole", Operation.SET, ResourceType.VCONSOLE, null),
        Arguments.of("set-vdisk", Operation.SET, ResourceType.VDISK, "primary-vds0"),
        Arguments.of("remove-vcpu", Operation.REMOVE, ResourceType.VCPU, null),
        Arguments.of("remove-crypto", Operation.REMOVE, ResourceType.CRYPTO, null),
        Arguments.of("remove-memory", Operation.REMOVE, ResourceType.MEMORY, null),
        Arguments.of("remove-io", Operation.REMOVE, ResourceType.IO, null),
        Arguments.of("remove-variable", Operation.REMOVE, ResourceType.VARIABLE, null),
        Arguments.of("remove-vdisk", Operation.REMOVE, ResourceType.VDISK, "primary-vds0"),
        Arguments.of("remove-vnet", Operation.REMOVE, ResourceType.VNET, "primary-vsw0"),
        Arguments.of("remove-vdpcc", Operation.REMOVE, ResourceType.VDPCC, null));
  }

  @ParameterizedTest
  @MethodSource("resourceEvents")
  void resourceEvent(String action, Operation op, ResourceType type, String service) throws Exception {
    VirtEvent e = roundTrip(SeedEvents.event(action, "ldg3"));
    assertThat(e).isInstanceOfSatisfying(ResourceEvent.class, r -> {
      assertThat(r.operation()).isEqualTo(op);
      assertThat(r.resource()).isEqualTo(type);
      assertThat(r.domain()).contains(DomainRef.of("ldg3"));
      assertThat(r.service()).isEqualTo(Optional.ofNullable(service));
      assertThat(r.kindName()).isEqualTo(action);
    });
  }

  @Test
  void theTablesCoverEverySeedEventName() {
    long tabled = domainEvents().count() + hardwareEvents().count() + 1 + resourceEvents().count();
    assertThat(tabled).isEqualTo(SeedEvents.ALL.size()).isEqualTo(9 + 3 + 1 + 36);
    assertThat(resourceEvents().map(a -> (String) a.get()[0]))
        .containsExactlyInAnyOrderElementsOf(SeedEvents.ALL.subList(13, SeedEvents.ALL.size()));
  }

  @Test
  void namesVolumesDisksAndNetworks() throws Exception {
    ResourceEvent vol = (ResourceEvent) roundTrip(SeedEvents.event("add-vdiskserverdevice", "primary"));
    assertThat(vol.name()).contains("vol1");
    ResourceEvent disk = (ResourceEvent) roundTrip(SeedEvents.event("add-vdisk", "ldg1"));
    assertThat(disk.name()).contains("disk0");
    assertThat(disk.meta().attributes()).containsEntry("vdisk_name", "disk0");
  }

  @Test
  void unknownActionsBecomeOtherEventsWithTheRawAction() throws Exception {
    VirtEvent e = roundTrip(SeedEvents.event("add-vhba", "ldg1"));
    assertThat(e).isInstanceOfSatisfying(OtherEvent.class, o -> {
      assertThat(o.action()).isEqualTo("add-vhba");
      assertThat(o.domain()).contains(DomainRef.of("ldg1"));
    });
  }

  @Test
  void aDomainEventWithoutDomainIsKeptAsOther() throws Exception {
    LdmEvent e = LdmXml.defaults().readEvent(("<LDM_event version='1.0'><cmd><action>start-domain"
        + "</action><data version='3.0'/></cmd></LDM_event>").getBytes());
    VirtEvent v = translator.translate(e).get(0);
    assertThat(v).isInstanceOf(OtherEvent.class);
    assertThat(v.action()).isEqualTo("start-domain");
    assertThat(v.meta().attributes()).containsKey("ldm.error");
  }

  @Test
  void oneEventPerCommandAndNoneLost() throws Exception {
    LdmEvent e = LdmXml.defaults().readEvent(("<LDM_event version='1.1'>"
        + "<cmd><action>bind-domain</action><data version='3.0'><Envelope><Content id='a'/></Envelope></data></cmd>"
        + "<cmd><action>start-domain</action><data version='3.0'><Envelope><Content ovf:id='a'/></Envelope></data></cmd>"
        + "<cmd><action/></cmd></LDM_event>").getBytes());
    List<VirtEvent> out = translator.translate(e);
    assertThat(out).extracting(VirtEvent::action).containsExactly("bind-domain", "start-domain", "(none)");
    assertThat(out).extracting(VirtEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(translator.translate(new LdmEvent())).singleElement().isInstanceOf(OtherEvent.class);
  }
}
