package org.virthooks.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.EventSink;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.Registration;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.feed.FeedState;

/**
 * The {@link EventFeed} contract as tests: every adapter's feed test extends this kit and
 * supplies a feed against its real test server (the ldmd simulator, a libvirtd), a way to make
 * that server send a domain event, and a way to break the connection from the server's side;
 * after Micrometer's {@code MeterRegistryCompatibilityKit}. Feeds are closed after each test.
 */
public abstract class EventFeedCompatibilityKit {
  /** How long the kit waits for anything. */
  protected static final Duration WAIT = Duration.ofSeconds(30);

  private EventFeed feed;

  /** A new feed, not started, publishing to {@code sink}, against the adapter's test server. */
  protected abstract EventFeed newFeed(EventSink sink) throws Exception;

  /** Makes the server send one event about the domain {@code name} to a connected feed. */
  protected abstract void causeDomainEvent(String name) throws Exception;

  /** Breaks the feed's connection from the server's side; {@link #restore()} lets it back. */
  protected abstract void breakConnection() throws Exception;

  /** Lets a broken-off feed connect again (a daemon that was stopped starts); may do nothing. */
  protected void restore() throws Exception {
  }

  /** The names the feed's threads start with. */
  protected abstract List<String> threadNamePrefixes();

  private EventFeed start(EventSink sink) throws Exception {
    feed = newFeed(sink);
    assertEquals(FeedState.NEW, feed.state());
    feed.start();
    assertTrue(feed.awaitConnected(WAIT), "connected within " + WAIT + ": "
        + feed.lastFailure().orElse("?"));
    return feed;
  }

  @AfterEach
  void closeFeed() {
    if (feed != null) {
      feed.close();
    }
  }

  private List<String> threads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> threadNamePrefixes().stream().anyMatch(n::startsWith))
        .collect(Collectors.toList());
  }

  private static boolean isSource(VirtEvent e, SourceEvent.Kind kind) {
    return e instanceof SourceEvent s && s.kind() == kind;
  }

  private static Predicate<VirtEvent> domainNamed(String name) {
    return e -> e instanceof DomainEvent d && d.domain().name().equals(name)
        && !"true".equals(e.meta().attributes().get("resync"));
  }

  @Test
  void startThenCloseLeavesNoThreadAndStartTwiceIsRefused() throws Exception {
    List<String> before = threads();
    EventFeed f = start(e -> { });
    assertThrows(IllegalStateException.class, f::start);
    f.close();
    assertEquals(FeedState.CLOSED, f.state());
    assertEquals(before, threads(), "threads left after close");
    assertThrows(IllegalStateException.class, f::start);
    f.close(); // idempotent
  }

  @Test
  void theFirstConnectEndsWithAResynchronisationAndEventsAreNumberedFromOneWithoutGaps()
      throws Exception {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    EventFeed f = start(rec::onEvent);
    VirtEvent resync = rec.awaitMatch(e -> isSource(e, SourceEvent.Kind.RESYNCHRONISED), WAIT);
    for (int i = 0; i < 5; i++) {
      causeDomainEvent("kit-seq-" + i);
    }
    for (int i = 0; i < 5; i++) {
      rec.awaitMatch(domainNamed("kit-seq-" + i), WAIT);
    }
    List<VirtEvent> all = rec.events();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).seq(), "sequence numbers 1..n without gaps");
      assertEquals(f.source(), all.get(i).meta().source());
    }
    assertTrue(resync.seq() < rec.awaitMatch(domainNamed("kit-seq-0"), WAIT).seq());
  }

  @Test
  void aBrokenConnectionGivesLostRestoredTheStateAndResynchronisedAndNothingTwice()
      throws Exception {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    EventFeed f = start(rec::onEvent);
    rec.awaitMatch(e -> isSource(e, SourceEvent.Kind.RESYNCHRONISED), WAIT);
    causeDomainEvent("kit-before");
    rec.awaitMatch(domainNamed("kit-before"), WAIT);
    breakConnection();
    long lost = rec.awaitMatch(e -> isSource(e, SourceEvent.Kind.CONNECTION_LOST), WAIT).seq();
    restore();
    long restored = rec.awaitMatch(e -> isSource(e, SourceEvent.Kind.CONNECTION_RESTORED)
        && e.seq() > lost, WAIT).seq();
    long resync = rec.awaitMatch(e -> isSource(e, SourceEvent.Kind.RESYNCHRONISED)
        && e.seq() > restored, WAIT).seq();
    assertTrue(f.awaitConnected(WAIT));
    assertEquals(1, f.reconnections());
    for (VirtEvent e : rec.events()) {
      if (e.seq() > restored && e.seq() < resync) {
        assertTrue(e instanceof DomainEvent
            && "true".equals(e.meta().attributes().get("resync")),
            "between restored and resynchronised only the state of each domain: " + e);
      }
    }
    causeDomainEvent("kit-after");
    rec.awaitMatch(domainNamed("kit-after"), WAIT);
    Thread.sleep(300);
    assertEquals(1, rec.events().stream().filter(domainNamed("kit-after")).count(),
        "delivered once");
    assertEquals(1, rec.events().stream().filter(domainNamed("kit-before")).count(),
        "delivered once");
  }

  @Test
  void closeDuringAReconnectEndsEveryThread() throws Exception {
    List<String> before = threads();
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    EventFeed f = start(rec::onEvent);
    breakConnection();
    rec.awaitMatch(e -> isSource(e, SourceEvent.Kind.CONNECTION_LOST), WAIT);
    f.close();
    assertEquals(FeedState.CLOSED, f.state());
    assertEquals(before, threads(), "threads left after a close while reconnecting");
    restore();
  }

  @Test
  void aThrowingSinkNeverKillsTheFeed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    EventFeed f = start(e -> {
      if (calls.incrementAndGet() % 2 == 0) {
        throw new IllegalStateException("a sink that fails every other event");
      }
      rec.onEvent(e);
    });
    for (int i = 0; i < 6; i++) {
      causeDomainEvent("kit-throw-" + i);
    }
    long end = System.nanoTime() + WAIT.toNanos();
    while (calls.get() < 7 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(calls.get() >= 7, "every event reached the sink: " + calls.get());
    assertEquals(FeedState.CONNECTED, f.state());
    assertTrue(f.resynchronise(), "still serving after the sink threw");
  }

  @Test
  void aSlowSinkUnderEachOverflowPolicyNeitherBlocksNorBreaksTheFeed() throws Exception {
    for (OverflowPolicy policy : OverflowPolicy.values()) {
      try (EventDispatcher events = EventDispatcher.create()) {
        RecordingListener<VirtEvent> fast = new RecordingListener<>();
        events.on(VirtEvent.class, fast);
        Registration slow = events.subscribe(VirtEvent.class).async(2, policy)
            .register(e -> sleep(50));
        EventFeed f = start(events::publish);
        String prefix = "kit-" + policy.name().toLowerCase(java.util.Locale.ROOT) + "-";
        for (int i = 0; i < 8; i++) {
          causeDomainEvent(prefix + i);
        }
        for (int i = 0; i < 8; i++) {
          fast.awaitMatch(domainNamed(prefix + i), WAIT);
        }
        assertEquals(FeedState.CONNECTED, f.state());
        if (policy == OverflowPolicy.BLOCK) {
          assertEquals(0, slow.dropped(), "BLOCK loses nothing");
        }
        f.close();
        slow.close();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
