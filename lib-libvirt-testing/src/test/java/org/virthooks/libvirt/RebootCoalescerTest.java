package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.RecordingListener;
import org.virthooks.libvirt.testing.TestDomains;

/** Reboot coalescing on real test-driver events: destroy then create within the window. */
class RebootCoalescerTest {
  static final String URI = "test:///default";

  @Test
  void stopThenStartWithinTheWindowIsOneRebootAndOrderIsKept() throws Exception {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    try (EventDispatcher events = EventDispatcher.create();
         RebootCoalescer coalescer = RebootCoalescer.wrap(rec, Duration.ofSeconds(2));
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      assertThat(source.awaitConnected(java.time.Duration.ofSeconds(10))).isTrue();
      events.on(DomainEvent.class, e -> e.domain().name().startsWith("vh-co"), coalescer);
      Connect c = new Connect(URI);
      try {
        Domain d = c.domainDefineXML(TestDomains.testDriverGuest("vh-co1"));
        d.create();
        d.destroy();
        d.create(); // the reboot pattern
        d.suspend();
        List<VirtEvent> got = rec.awaitCount(4, Duration.ofSeconds(10));
        assertThat(got).extracting(e -> ((DomainEvent) e).kind()).containsExactly(
            DomainEvent.Kind.DEFINED, DomainEvent.Kind.STARTED, DomainEvent.Kind.REBOOTED,
            DomainEvent.Kind.SUSPENDED);
        DomainEvent reboot = (DomainEvent) got.get(2);
        assertThat(reboot.action()).isEqualTo(
            "COALESCED/LIFECYCLE/STOPPED/DESTROYED+LIFECYCLE/STARTED/BOOTED");
        assertThat(reboot.meta().attributes()).containsEntry("coalesced", "true")
            .containsKey("stoppedSeq");
        // a stop with no start within the window is delivered as it was, late
        d.destroy();
        DomainEvent stopped = (DomainEvent) rec.awaitMatch(e -> e instanceof DomainEvent x
            && x.kind() == DomainEvent.Kind.STOPPED, Duration.ofSeconds(5));
        assertThat(stopped.detail()).contains("DESTROYED");
        d.undefine();
        rec.awaitMatch(e -> e instanceof DomainEvent x && x.kind() == DomainEvent.Kind.UNDEFINED,
            Duration.ofSeconds(5));
        assertThat(rec.events()).extracting(VirtEvent::seq).isSorted();
      } finally {
        c.close();
      }
    }
  }
}
