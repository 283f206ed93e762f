package org.virthooks.ldm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventStamper;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.RecordingListener;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/**
 * Simulator → XMPP/TLS → client → typed event, for every event name of the seed; every fault
 * of the simulator survived, with reconnection checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LdmEventSourceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private LdmdSimulator sim;
  private LdmEventSource source;
  private final RecordingListener<VirtEvent> rec = new RecordingListener<>();

  @BeforeEach
  void startSimulator() throws IOException {
    sim = LdmdSimulator.start();
  }

  @AfterEach
  void stopAll() {
    if (source != null) {
      source.close();
    }
    sim.close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
        && (t.getName().startsWith("ldm-") || t.getName().startsWith("ldmd-sim-")));
  }

  private LdmEventSource startSource(EnumSet<LdmEventCategory> categories) throws InterruptedException {
    return startSourceAt(categories, 1);
  }

  /** Starts a source and waits for its first resynchronisation, the {@code seq}-th event. */
  private LdmEventSource startSourceAt(EnumSet<LdmEventCategory> categories, long seq)
      throws InterruptedException {
    source = LdmEventSource.builder(sim.clientConfig().build(), rec::onEvent)
        .categories(categories).backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build().start();
    assertThat(source.awaitConnected(WAIT)).isTrue();
    // every connect ends with a resynchronisation (the simulator defines no domain here)
    VirtEvent resync = rec.awaitMatch(e -> e instanceof SourceEvent s
        && s.kind() == SourceEvent.Kind.RESYNCHRONISED, WAIT);
    assertThat(resync.seq()).isEqualTo(seq);
    rec.clear();
    return source;
  }

  /** What the translator makes of the document, to compare with what came over the wire. */
  private static VirtEvent expected(LdmEvent e) {
    return new LdmEventTranslator(new EventStamper(SourceId.of("ldm", "x"))).translate(e).get(0);
  }

  private static void assertSameEvent(VirtEvent got, VirtEvent want) {
    assertThat(got.getClass()).isEqualTo(want.getClass());
    assertThat(got.action()).isEqualTo(want.action());
    assertThat(got.kindName()).isEqualTo(want.kindName());
    assertThat(got.optionalDomain()).isEqualTo(want.optionalDomain());
    assertThat(got.meta().attributes()).isEqualTo(want.meta().attributes());
  }

  @Test
  void everySeedEventArrivesTyped() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    List<VirtEvent> want = new ArrayList<>();
    for (String action : SeedEvents.ALL) {
      LdmEvent e = SeedEvents.event(action, "ldg1");
      want.add(expected(e));
      assertThat(sim.publish(e)).as(action).isEqualTo(1);
    }
    List<VirtEvent> got = rec.awaitCount(SeedEvents.ALL.size(), WAIT);
    for (int i = 0; i < got.size(); i++) {
      assertSameEvent(got.get(i), want.get(i));
      assertThat(got.get(i)).isNotInstanceOf(OtherEvent.class);
      assertThat(got.get(i).source().adapter()).isEqualTo("ldm");
    }
    assertThat(got).extracting(VirtEvent::seq).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void categoriesSelectWhatArrives() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.HARDWARE, LdmEventCategory.RESOURCE));
    for (String action : SeedEvents.ALL) {
      sim.publish(SeedEvents.event(action, "ldg1"));
    }
    int expectedCount = SeedEvents.ALL.size() - SeedEvents.DOMAIN.size();
    rec.awaitCount(expectedCount, WAIT);
    rec.assertNoMoreThan(expectedCount, Duration.ofMillis(200));
    assertThat(rec.events()).noneMatch(e -> e instanceof DomainEvent);
  }

  @Test
  void unknownActionsReachAllRegistrationsAsOtherEvents() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    sim.publish(SeedEvents.event("add-vhba", "ldg1"));
    VirtEvent e = rec.awaitCount(1, WAIT).get(0);
    assertThat(e).isInstanceOf(OtherEvent.class);
    assertThat(e.action()).isEqualTo("add-vhba");
  }

  @Test
  void whatChangedDuringAnOutageArrivesWithTheResynchronisationAfterIt() throws Exception {
    sim.defineDomain("ldg0", "inactive");
    startSourceAt(EnumSet.of(LdmEventCategory.DOMAIN), 2); // ldg0 listed, then resynchronised
    sim.publish(SeedEvents.event("add-domain", "ldg1"));
    sim.publish(SeedEvents.event("bind-domain", "ldg1"));
    sim.publish(SeedEvents.event("start-domain", "ldg1"));
    rec.awaitCount(3, WAIT);
    assertThat(sim.dropConnections()).isEqualTo(1);
    // while nobody is registered: ldg1 stops, ldg2 appears, ldg0 is removed
    sim.publish(SeedEvents.event("stop-domain", "ldg1"));
    sim.publish(SeedEvents.event("add-domain", "ldg2"));
    sim.publish(SeedEvents.event("remove-domain", "ldg0"));
    long restored = rec.awaitMatch(e -> e instanceof SourceEvent s
        && s.kind() == SourceEvent.Kind.CONNECTION_RESTORED, WAIT).seq();
    long done = rec.awaitMatch(e -> e instanceof SourceEvent s
        && s.kind() == SourceEvent.Kind.RESYNCHRONISED && e.seq() > restored, WAIT).seq();
    java.util.Map<String, DomainEvent> listed = new java.util.LinkedHashMap<>();
    for (VirtEvent e : rec.events()) {
      if (e.seq() > restored && e.seq() < done && e instanceof DomainEvent d) {
        assertThat(d.action()).isEqualTo("list-domain");
        assertThat(d.meta().attributes()).containsEntry("resync", "true");
        listed.put(d.domain().name(), d);
      }
    }
    assertThat(listed.keySet()).containsExactly("ldg1", "ldg2");
    assertThat(listed.get("ldg1").kind()).isEqualTo(DomainEvent.Kind.BOUND);
    assertThat(listed.get("ldg1").meta().attributes()).containsEntry("state", "bound");
    assertThat(listed.get("ldg2").kind()).isEqualTo(DomainEvent.Kind.DEFINED);
    assertThat(source.reconnections()).isEqualTo(1);
    // on demand, too
    assertThat(source.resynchronise()).isTrue();
    rec.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.RESYNCHRONISED
        && e.seq() > done, WAIT);
  }

  @Test
  void droppedConnectionIsReportedAndRestored() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.DOMAIN));
    assertThat(sim.dropConnections()).isEqualTo(1);
    rec.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.CONNECTION_LOST, WAIT);
    rec.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.CONNECTION_RESTORED, WAIT);
    assertThat(sim.awaitRegisteredClients(1, WAIT)).isTrue();
    assertThat(sim.connectionsAccepted()).isEqualTo(2);
    sim.publish(SeedEvents.event("start-domain", "after"));
    rec.awaitMatch(e -> e instanceof DomainEvent d && d.domain().name().equals("after"), WAIT);
    assertThat(source.reconnections()).isEqualTo(1);
  }

  @Test
  void splitWritesOneByteAtATime() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    sim.splitWrites(1, Duration.ZERO);
    for (String a : SeedEvents.DOMAIN) {
      sim.publish(SeedEvents.event(a, "ldg1"));
    }
    rec.awaitCount(SeedEvents.DOMAIN.size(), WAIT);
    assertThat(rec.events()).allMatch(e -> e instanceof DomainEvent);
  }

  @Test
  void slowWrites() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    sim.splitWrites(64, Duration.ofMillis(20));
    sim.publish(SeedEvents.event("add-vdiskserverdevice", "primary"));
    VirtEvent e = rec.awaitCount(1, WAIT).get(0);
    assertSameEvent(e, expected(SeedEvents.event("add-vdiskserverdevice", "primary")));
  }

  @Test
  void severalDocumentsInOneWrite() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    List<LdmEvent> batch = new ArrayList<>();
    for (String a : SeedEvents.RESOURCE_DOMAIN_ONLY) {
      batch.add(SeedEvents.event(a, "ldg9"));
    }
    assertThat(sim.publishTogether(batch)).isEqualTo(1);
    List<VirtEvent> got = rec.awaitCount(batch.size(), WAIT);
    assertThat(got).extracting(VirtEvent::action).containsExactlyElementsOf(SeedEvents.RESOURCE_DOMAIN_ONLY);
  }

  @Test
  void aMalformedDocumentIsSkippedWithoutLosingTheConnection() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    sim.sendRaw("<LDM_event version='1.0'><cmd><action>start-domain</action></cmd></LDM_evnt>");
    sim.sendRaw("<LDM_event version='1.0'><cmd a='1' a='2'><action>x</action></cmd></LDM_event>");
    sim.publish(SeedEvents.event("stop-domain", "ldg1"));
    VirtEvent e = rec.awaitCount(1, WAIT).get(0);
    assertThat(e.action()).isEqualTo("stop-domain");
    assertThat(sim.connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void garbageThatBreaksFramingCausesAReconnection() throws Exception {
    startSource(EnumSet.of(LdmEventCategory.ALL));
    sim.sendRaw("</unbalanced> garbage <<<");
    rec.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.CONNECTION_RESTORED, WAIT);
    assertThat(sim.awaitRegisteredClients(1, WAIT)).isTrue();
    sim.publish(SeedEvents.event("panic-domain", "ldg1"));
    rec.awaitMatch(e -> e.action().equals("panic-domain"), WAIT);
  }

  @Test
  void anUnreachableDaemonIsReportedOnceAndRetriedWithBackoff() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    source = LdmEventSource.builder(sim.clientConfig().port(port).connectTimeout(Duration.ofMillis(500)).build(),
        rec::onEvent).backoff(Duration.ofMillis(20), Duration.ofMillis(80)).build().start();
    rec.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.CONNECTION_LOST, WAIT);
    rec.assertNoMoreThan(1, Duration.ofMillis(300));
    assertThat(source.isConnected()).isFalse();
  }
}
