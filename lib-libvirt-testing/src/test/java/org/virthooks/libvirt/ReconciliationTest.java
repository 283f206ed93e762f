package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.RecordingListener;
import org.virthooks.libvirt.internal.DomainStates;
import org.virthooks.libvirt.testing.NativeConnect;

/**
 * Reconciliation on the test driver: states changed behind the feed's back (a feed registered for
 * no domain event misses them, as a feed misses what happens while an event is lost) come back
 * as exactly one correcting event each; what the feed was told by events is never repeated.
 */
class ReconciliationTest {
  static final String URI = "test:///default";

  static Predicate<VirtEvent> about(String name) {
    return e -> e instanceof DomainEvent d && d.domain().name().equals(name);
  }

  static boolean reconciled(VirtEvent e) {
    return "true".equals(e.meta().attributes().get("reconciled"));
  }

  @Test
  void aStateChangedBehindTheFeedsBackGivesExactlyOneCorrectingEvent() throws Exception {
    Connect other = new Connect(URI);
    Domain d = other.domainDefineXML(TestDriverEventsTest.xml("vh-rec"));
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events)
             .domainEvents(Set.of()).networkEvents(false).build()) {
      d.create();
      RecordingListener<VirtEvent> rec = new RecordingListener<>();
      events.on(VirtEvent.class, rec);
      source.start();
      assertThat(source.awaitConnected(Duration.ofSeconds(10))).isTrue();
      DomainEvent listed = (DomainEvent) rec.awaitMatch(about("vh-rec"), Duration.ofSeconds(5));
      assertThat(listed.kind()).isEqualTo(DomainEvent.Kind.STARTED);
      assertThat(source.reconcile()).hasValue(0);

      d.suspend(); // no event reaches this feed
      assertThat(source.reconcile()).hasValue(1);
      List<VirtEvent> corrections = rec.events().stream().filter(ReconciliationTest::reconciled)
          .collect(Collectors.toList());
      assertThat(corrections).hasSize(1);
      DomainEvent c = (DomainEvent) corrections.get(0);
      assertThat(c.domain().name()).isEqualTo("vh-rec");
      assertThat(c.domain().uuid().orElseThrow().toString()).isEqualTo(d.getUUIDString());
      assertThat(c.kind()).isEqualTo(DomainEvent.Kind.SUSPENDED);
      assertThat(c.action()).startsWith("RESYNC/PAUSED/");
      assertThat(c.meta().attributes()).containsEntry("resync", "true");
      assertThat(source.reconcile()).as("told once, not again").hasValue(0);

      d.destroy();
      d.undefine();
      assertThat(source.reconcile()).hasValue(1);
      DomainEvent gone = (DomainEvent) rec.events().stream()
          .filter(e -> reconciled(e) && e.seq() > c.seq()).findFirst().orElseThrow();
      assertThat(gone.kind()).isEqualTo(DomainEvent.Kind.UNDEFINED);
      assertThat(gone.action()).isEqualTo("RESYNC/GONE");
      assertThat(source.reconcile()).hasValue(0);
      assertThat(source.corrections()).isEqualTo(2);
    } finally {
      other.close();
    }
  }

  @Test
  void whatEventsToldIsNeverCorrectedAndPeriodicRoundsFindTheRest() throws Exception {
    Connect other = new Connect(URI);
    // two dispatchers: both feeds name the same source, libvirt:test:///default
    try (EventDispatcher events = EventDispatcher.create();
         EventDispatcher blindEvents = EventDispatcher.create();
         LibvirtEventSource withEvents = LibvirtEventSource.builder(URI, events).build().start();
         LibvirtEventSource blind = LibvirtEventSource.builder(URI, blindEvents)
             .domainEvents(Set.of()).networkEvents(false)
             .reconcileEvery(Duration.ofMillis(100)).build()) {
      assertThat(withEvents.awaitConnected(Duration.ofSeconds(10))).isTrue();
      RecordingListener<VirtEvent> seen = new RecordingListener<>();
      events.on(VirtEvent.class, seen);
      RecordingListener<VirtEvent> blindSeen = new RecordingListener<>();
      blindEvents.on(VirtEvent.class, ReconciliationTest::reconciled, blindSeen);
      blind.start();
      assertThat(blind.awaitConnected(Duration.ofSeconds(10))).isTrue();
      Domain d = other.domainDefineXML(TestDriverEventsTest.xml("vh-rec2"));
      d.create();
      d.suspend();
      seen.awaitMatch(about("vh-rec2").and(e -> ((DomainEvent) e).kind()
          == DomainEvent.Kind.SUSPENDED), Duration.ofSeconds(5));
      assertThat(withEvents.reconcile()).hasValue(0);
      // the blind feed's periodic rounds catch up: one event for the new, paused domain
      DomainEvent c = (DomainEvent) blindSeen.awaitMatch(about("vh-rec2"), Duration.ofSeconds(5));
      assertThat(c.kind()).isEqualTo(DomainEvent.Kind.SUSPENDED);
      Thread.sleep(1000); // ten more rounds
      assertThat(blindSeen.events().stream().filter(about("vh-rec2")).count()).isEqualTo(1);
      d.destroy();
      d.undefine();
      seen.awaitMatch(about("vh-rec2").and(e -> ((DomainEvent) e).kind()
          == DomainEvent.Kind.UNDEFINED), Duration.ofSeconds(5));
      assertThat(withEvents.reconcile()).hasValue(0);
      assertThat(seen.events().stream().filter(ReconciliationTest::reconciled)).isEmpty();
    } finally {
      other.close();
    }
  }

  @Test
  void resynchroniseOnDemandListsEveryDomainOnceWithItsState() throws Exception {
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      assertThat(source.awaitConnected(Duration.ofSeconds(10))).isTrue();
      RecordingListener<VirtEvent> rec = new RecordingListener<>();
      events.on(VirtEvent.class, rec);
      assertThat(source.resynchronise()).isTrue();
      SourceEvent done = (SourceEvent) rec.awaitMatch(e -> e instanceof SourceEvent s
          && s.kind() == SourceEvent.Kind.RESYNCHRONISED, Duration.ofSeconds(5));
      Connect c = new Connect(URI, true);
      try {
        List<DomainEvent> listed = rec.events().stream().filter(e -> e.seq() < done.seq()
            && e instanceof DomainEvent).map(e -> (DomainEvent) e).collect(Collectors.toList());
        assertThat(listed).extracting(e -> e.domain().name())
            .containsExactlyInAnyOrder(names(c));
        assertThat(done.meta().attributes()).containsEntry("domains",
            Integer.toString(listed.size()));
        DomainEvent test = listed.stream().filter(e -> e.domain().name().equals("test"))
            .findFirst().orElseThrow();
        assertThat(test.kind()).isEqualTo(DomainEvent.Kind.STARTED);
        assertThat(test.action()).startsWith("RESYNC/RUNNING/");
        assertThat(test.domain().id()).isPresent();
      } finally {
        c.close();
      }
    }
  }

  @Test
  void theOneCallListingAgreesWithTheCallPerDomainOne() throws Exception {
    Connect other = new Connect(URI);
    Domain paused = other.domainDefineXML(TestDriverEventsTest.xml("vh-rec3"));
    Domain off = other.domainDefineXML(TestDriverEventsTest.xml("vh-rec4"));
    NativeConnect c = new NativeConnect(URI);
    try {
      paused.create();
      paused.suspend();
      List<DomainStates.Actual> one = DomainStates.current(c, c.pointer());
      List<DomainStates.Actual> each = DomainStates.currentPerDomain(c, c.pointer());
      assertThat(one).containsExactlyInAnyOrderElementsOf(each);
      assertThat(one).filteredOn(a -> a.domain().name().equals("vh-rec3")).singleElement()
          .satisfies(a -> {
            assertThat(a.state()).isEqualTo(3); // PAUSED
            assertThat(a.reason()).isEqualTo(1); // USER
            assertThat(a.domain().id()).isPresent();
            assertThat(a.domain().uuid().orElseThrow().toString())
                .isEqualTo(paused.getUUIDString());
          });
      assertThat(one).filteredOn(a -> a.domain().name().equals("vh-rec4")).singleElement()
          .satisfies(a -> {
            assertThat(a.state()).isEqualTo(5); // SHUTOFF
            assertThat(a.domain().id()).isEmpty();
          });
    } finally {
      c.close();
      paused.destroy();
      paused.undefine();
      off.undefine();
      other.close();
    }
  }

  static String[] names(Connect c) throws Exception {
    return java.util.Arrays.stream(c.listAllDomains(0)).map(x -> {
      try {
        return x.getName();
      } catch (org.libvirt.LibvirtException e) {
        throw new IllegalStateException(e);
      }
    }).toArray(String[]::new);
  }
}
