package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.testing.RecordingListener;

/** Real libvirt, in process: the test driver emits real lifecycle events without a daemon. */
class TestDriverEventsTest {
  static final String URI = "test:///default";

  static String xml(String name) {
    return "<domain type='test'><name>" + name + "</name><memory>65536</memory>"
        + "<os><type>hvm</type></os></domain>";
  }

  @Test
  void lifecycleArrivesAsTypedEventsInOrder() throws Exception {
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      assertThat(source.awaitConnected(java.time.Duration.ofSeconds(10))).isTrue();
      RecordingListener<DomainEvent> rec = new RecordingListener<>();
      events.on(DomainEvent.class, e -> e.domain().name().equals("vh-order"), rec);
      Connect conn = new Connect(URI);
      try {
        Domain d = conn.domainDefineXML(xml("vh-order"));
        d.create();
        d.suspend();
        d.resume();
        d.destroy();
        d.undefine();
        String uuid = d.getUUIDString();
        List<DomainEvent> got = rec.awaitCount(6, Duration.ofSeconds(10));
        assertThat(got).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.DEFINED,
            DomainEvent.Kind.STARTED, DomainEvent.Kind.SUSPENDED, DomainEvent.Kind.RESUMED,
            DomainEvent.Kind.STOPPED, DomainEvent.Kind.UNDEFINED);
        assertThat(got).extracting(e -> e.detail().orElseThrow()).containsExactly("ADDED",
            "BOOTED", "PAUSED", "UNPAUSED", "DESTROYED", "REMOVED");
        assertThat(got.get(4).action()).isEqualTo("LIFECYCLE/STOPPED/DESTROYED");
        assertThat(got.get(4).meta().attributes()).containsEntry("event", "5")
            .containsEntry("detail", "1");
        assertThat(got).allSatisfy(e -> assertThat(e.domain().uuid().orElseThrow().toString())
            .isEqualTo(uuid));
        // a running domain has its id, a defined-only one has none
        assertThat(got.get(2).domain().id()).isPresent();
        assertThat(got.get(0).domain().id()).isEmpty();
        assertThat(got).extracting(VirtEvent::seq).isSorted();
        assertThat(EventJson.toJson(got.get(4))).contains("\"kind\":\"stopped\"")
            .contains("\"detail\":\"DESTROYED\"").contains("\"source\":\"libvirt:test:///default\"");
      } finally {
        conn.close();
      }
    }
  }

  @Test
  void registersEveryIdTheDriverSupportsAndSkipsTheOthers() throws Exception {
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      assertThat(source.awaitConnected(java.time.Duration.ofSeconds(10))).isTrue();
      Set<DomainEventId> all = EnumSet.allOf(DomainEventId.class);
      assertThat(source.registeredIds()).contains(DomainEventId.LIFECYCLE, DomainEventId.REBOOT,
          DomainEventId.DEVICE_ADDED, DomainEventId.JOB_COMPLETED, DomainEventId.TUNABLE);
      // libvirt 9.0 predates NIC_MAC_CHANGE (11.2): refused, skipped, not fatal
      assertThat(source.refusedIds()).contains(DomainEventId.NIC_MAC_CHANGE);
      Set<DomainEventId> union = source.registeredIds().stream().collect(Collectors.toSet());
      union.addAll(source.refusedIds());
      assertThat(union).isEqualTo(all);
    }
  }
}
