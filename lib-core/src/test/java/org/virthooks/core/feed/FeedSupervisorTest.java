package org.virthooks.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;

/** The reconnection skeleton with our own seams (connector, session, sink) mocked. */
class FeedSupervisorTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20));

  private final List<VirtEvent> seen = new CopyOnWriteArrayList<>();
  private final EventStamper stamper = new EventStamper(SourceId.of("test", "daemon"));

  /** A session whose connection ends when {@code end} completes; lists {@code domains}. */
  private FeedSupervisor.Session session(CompletableFuture<Throwable> end, String... domains)
      throws Exception {
    FeedSupervisor.Session s = mock(FeedSupervisor.Session.class);
    when(s.awaitEnd()).thenAnswer(i -> end.get());
    when(s.publishCurrentState(any())).thenAnswer(i -> {
      EventSink sink = i.getArgument(0);
      for (String d : domains) {
        sink.publish(DomainEvent.of(stamper.next("resync"), DomainRef.of(d),
            DomainEvent.Kind.STARTED, null));
      }
      return domains.length;
    });
    doAnswer(i -> end.complete(null)).when(s).close();
    return s;
  }

  private List<String> actions() {
    return seen.stream().map(VirtEvent::action).collect(Collectors.toList());
  }

  private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!c.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(c.getAsBoolean()).as("condition within 10 s").isTrue();
  }

  @Test
  void aBrokenConnectionGivesLostRestoredTheStateAndResynchronisedNumberedWithoutGaps()
      throws Exception {
    CompletableFuture<Throwable> first = new CompletableFuture<>();
    CompletableFuture<Throwable> second = new CompletableFuture<>();
    FeedSupervisor.Session one = session(first, "a");
    FeedSupervisor.Session two = session(second, "a", "b");
    FeedSupervisor.Connector connector = mock(FeedSupervisor.Connector.class);
    when(connector.connect()).thenReturn(one)
        .thenThrow(new IOException("connection refused"))
        .thenReturn(two);
    try (FeedSupervisor f = new FeedSupervisor(stamper, seen::add, FAST, "feed-test", connector,
        () -> { })) {
      f.start();
      assertThat(f.awaitConnected(Duration.ofSeconds(5))).isTrue();
      await(() -> seen.size() == 2);
      first.complete(new IOException("end of file"));
      await(() -> f.reconnections() == 1 && seen.size() == 7);
      assertThat(f.state()).isEqualTo(FeedState.CONNECTED);
    }
    assertThat(actions()).containsExactly("resync", "resynchronised", "connection-lost",
        "connection-restored", "resync", "resync", "resynchronised");
    assertThat(seen.get(2).toString()).contains("end of file");
    assertThat(seen.stream().mapToLong(e -> e.meta().seq()).toArray())
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void aFirstConnectionThatFailsIsReportedOnceAndRetried() throws Exception {
    CompletableFuture<Throwable> end = new CompletableFuture<>();
    FeedSupervisor.Session one = session(end);
    FeedSupervisor.Connector connector = mock(FeedSupervisor.Connector.class);
    when(connector.connect()).thenThrow(new IOException("no route"))
        .thenThrow(new IOException("no route")).thenReturn(one);
    try (FeedSupervisor f = new FeedSupervisor(stamper, seen::add, FAST, "feed-test", connector,
        () -> { })) {
      f.start();
      assertThat(f.awaitConnected(Duration.ofSeconds(5))).isTrue();
      await(() -> seen.size() == 3);
      assertThat(actions()).containsExactly("connection-lost", "connection-restored",
          "resynchronised");
      assertThatThrownBy(f::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aThrowingSinkNeverKillsTheFeed() throws Exception {
    CompletableFuture<Throwable> first = new CompletableFuture<>();
    CompletableFuture<Throwable> second = new CompletableFuture<>();
    FeedSupervisor.Session one = session(first, "a");
    FeedSupervisor.Session two = session(second, "a");
    FeedSupervisor.Connector connector = mock(FeedSupervisor.Connector.class);
    when(connector.connect()).thenReturn(one, two);
    EventSink sink = mock(EventSink.class);
    doThrow(new IllegalStateException("sink broken")).when(sink).publish(any());
    try (FeedSupervisor f = new FeedSupervisor(stamper, sink, FAST, "feed-test", connector,
        () -> { })) {
      f.start();
      assertThat(f.awaitConnected(Duration.ofSeconds(5))).isTrue();
      first.complete(null);
      await(() -> f.reconnections() == 1 && f.state() == FeedState.CONNECTED);
      assertThat(f.resynchronise()).isTrue();
    }
  }

  @Test
  void closeDuringAConnectAbortsItAndEndsTheThread() throws Exception {
    CompletableFuture<Void> aborted = new CompletableFuture<>();
    FeedSupervisor.Connector connector = () -> {
      aborted.get(30, TimeUnit.SECONDS); // a daemon that accepted and stays silent
      throw new IOException("socket closed");
    };
    FeedSupervisor f = new FeedSupervisor(stamper, seen::add, FAST, "feed-test-abort", connector,
        () -> aborted.complete(null));
    f.start();
    await(() -> threads("feed-test-abort") == 1);
    long t0 = System.nanoTime();
    f.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(threads("feed-test-abort")).isZero();
    assertThat(f.state()).isEqualTo(FeedState.CLOSED);
    assertThat(f.awaitConnected(Duration.ofMillis(10))).isFalse();
  }

  @Test
  void closeWhileReconnectingEndsTheThreadAndOnDemandResyncNeedsAConnection() throws Exception {
    FeedSupervisor.Connector connector = mock(FeedSupervisor.Connector.class);
    when(connector.connect()).thenThrow(new IOException("refused"));
    FeedSupervisor f = new FeedSupervisor(stamper, seen::add,
        new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(60)), "feed-test-backoff",
        connector, () -> { });
    f.start();
    await(() -> f.state() == FeedState.RECONNECTING);
    assertThat(f.resynchronise()).isFalse();
    f.close();
    assertThat(threads("feed-test-backoff")).isZero();
    f.close(); // idempotent
  }

  @Test
  void backoffGrowsExponentiallyWithJitterUpToItsMaximum() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    for (int i = 0; i < 200; i++) {
      assertThat(b.delay(1).toMillis()).isBetween(50L, 100L);
      assertThat(b.delay(3).toMillis()).isBetween(200L, 400L);
      assertThat(b.delay(40).toMillis()).isBetween(500L, 1000L);
    }
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long threads(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive()).count();
  }
}
