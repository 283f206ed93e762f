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
import org.libvirt.Network;
import org.libvirt.StoragePool;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.ResourceEvent;
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

  @Test
  void metadataChangesArriveTypedWithTheirPayload() throws Exception {
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start();
         org.virthooks.libvirt.domain.LibvirtDomains domains =
             org.virthooks.libvirt.domain.LibvirtDomains.open(URI)) {
      assertThat(source.awaitConnected(Duration.ofSeconds(10))).isTrue();
      RecordingListener<DomainEvent> rec = new RecordingListener<>();
      events.on(DomainEvent.class, e -> e.kind() == DomainEvent.Kind.METADATA_CHANGE, rec);
      org.virthooks.libvirt.domain.LibvirtDomain test = domains.byName("test");
      test.setMetadata(org.virthooks.libvirt.domain.MetadataType.DESCRIPTION, "vh desc", null,
          null, Set.of());
      test.setMetadata(org.virthooks.libvirt.domain.MetadataType.ELEMENT, "<vh/>", "vh",
          "http://virthooks.org/test", Set.of());
      List<DomainEvent> got = rec.awaitCount(2, Duration.ofSeconds(10));
      DomainPayload.MetadataChange desc = got.get(0).payload(DomainPayload.MetadataChange.class)
          .orElseThrow();
      assertThat(desc.type()).isEqualTo(DomainPayload.MetadataType.DESCRIPTION);
      assertThat(desc.namespaceUri()).isEmpty();
      DomainPayload.MetadataChange el = got.get(1).payload(DomainPayload.MetadataChange.class)
          .orElseThrow();
      assertThat(el.type()).isEqualTo(DomainPayload.MetadataType.ELEMENT);
      assertThat(el.namespaceUri()).contains("http://virthooks.org/test");
      assertThat(got.get(1).action()).isEqualTo("METADATA_CHANGE");
      assertThat(got.get(1).domain().name()).isEqualTo("test");
      assertThat(EventJson.toJson(got.get(1))).contains("\"kind\":\"metadata-change\"")
          .contains("\"payload\":{\"type\":\"element\",\"namespaceUri\":"
              + "\"http://virthooks.org/test\"}");
    }
  }

  @Test
  void storagePoolAndNetworkLifecyclesArriveAsResourceEvents() throws Exception {
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      assertThat(source.awaitConnected(Duration.ofSeconds(10))).isTrue();
      RecordingListener<ResourceEvent> rec = new RecordingListener<>();
      events.on(ResourceEvent.class, e -> e.name().orElse("").startsWith("vh-"), rec);
      Connect conn = new Connect(URI);
      try {
        StoragePool pool = conn.storagePoolDefineXML("<pool type='dir'><name>vh-pool</name>"
            + "<target><path>/vh-pool</path></target></pool>", 0);
        pool.create(0);
        pool.refresh(0);
        pool.destroy();
        pool.undefine();
        Network net = conn.networkDefineXML("<network><name>vh-net</name>"
            + "<bridge name='vhbr0'/></network>");
        net.create();
        net.destroy();
        net.undefine();
        List<ResourceEvent> got = rec.awaitCount(9, Duration.ofSeconds(10));
        assertThat(got).extracting(ResourceEvent::kindName).containsExactly(
            "add-storage-pool", "start-storage-pool", "refresh-storage-pool", "stop-storage-pool",
            "remove-storage-pool", "add-network", "start-network", "stop-network",
            "remove-network");
        assertThat(got.get(0).action()).isEqualTo("STORAGE_POOL_LIFECYCLE/DEFINED");
        assertThat(got.get(2).action()).isEqualTo("STORAGE_POOL_REFRESH");
        assertThat(got.subList(0, 5)).allSatisfy(e -> assertThat(e.meta().attributes())
            .containsEntry("uuid", pool.getUUIDString()));
        assertThat(EventJson.toJson(got.get(2))).contains("\"kind\":\"refresh-storage-pool\"")
            .contains("\"resource\":\"storage-pool\"").contains("\"name\":\"vh-pool\"");
      } finally {
        conn.close();
      }
    }
  }

  @Test
  void registersEveryHostEventTheDriverSupportsAndSkipsTheOthers() throws Exception {
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      assertThat(source.awaitConnected(Duration.ofSeconds(10))).isTrue();
      assertThat(source.registeredHostIds()).contains(HostEventId.NETWORK_LIFECYCLE,
          HostEventId.STORAGE_POOL_LIFECYCLE, HostEventId.STORAGE_POOL_REFRESH,
          HostEventId.NODE_DEVICE_LIFECYCLE, HostEventId.NODE_DEVICE_UPDATE);
      // libvirt 9.0 predates network metadata events (9.8): refused, skipped, not fatal
      assertThat(source.refusedHostIds()).contains(HostEventId.NETWORK_METADATA_CHANGE);
      Set<HostEventId> union = EnumSet.noneOf(HostEventId.class);
      union.addAll(source.registeredHostIds());
      union.addAll(source.refusedHostIds());
      assertThat(union).isEqualTo(EnumSet.allOf(HostEventId.class));
    }
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events)
             .networkEvents(false).build().start()) {
      assertThat(source.awaitConnected(Duration.ofSeconds(10))).isTrue();
      assertThat(source.registeredHostIds()).doesNotContain(HostEventId.NETWORK_LIFECYCLE)
          .contains(HostEventId.STORAGE_POOL_LIFECYCLE);
    }
  }
}
