package org.virthooks.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.virthooks.core.testing.TestEvents;

/**
 * Several threads publish, each as its own source, while others register and close
 * registrations. With the blocking policy the long-lived subscribers must see every event exactly
 * once and each source's events in order.
 */
class DispatcherStressTest {
  private static final int PUBLISHERS = 4;
  private static final int EVENTS_PER_PUBLISHER = 50_000;

  /** Checks one subscriber's view: per source, sequence numbers must arrive 1, 2, 3... */
  static final class OrderChecker implements EventListener<VirtEvent> {
    final Map<SourceId, AtomicLong> last = new ConcurrentHashMap<>();
    final List<String> violations = new ArrayList<>();
    final AtomicLong total = new AtomicLong();

    @Override
    public void onEvent(VirtEvent e) {
      long prev = last.computeIfAbsent(e.source(), s -> new AtomicLong()).getAndSet(e.seq());
      if (e.seq() != prev + 1) {
        synchronized (violations) {
          violations.add(e.source() + ": " + prev + " then " + e.seq());
        }
      }
      total.incrementAndGet();
    }
  }

  @Test
  void noLossNoDuplicateAndPerSourceOrderWhileRegistrationsChurn() throws Exception {
    List<Throwable> errors = new ArrayList<>();
    try (EventDispatcher d = EventDispatcher.builder()
        .errorHandler((r, e, t) -> errors.add(t)).closeGrace(Duration.ofSeconds(30)).build()) {
      OrderChecker sync = new OrderChecker();
      OrderChecker asyncBlock = new OrderChecker();
      OrderChecker asyncSmall = new OrderChecker();
      d.on(VirtEvent.class, sync);
      d.subscribe(VirtEvent.class).async(1024, OverflowPolicy.BLOCK).register(asyncBlock);
      d.subscribe(DomainEvent.class).async(8, OverflowPolicy.BLOCK).register(asyncSmall::onEvent);

      ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 2);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean publishing = new AtomicBoolean(true);
      List<Future<?>> publishers = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        TestEvents src = new TestEvents(SourceId.of("stress", "p" + p));
        publishers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < EVENTS_PER_PUBLISHER; i++) {
            d.publish(src.domain("g", DomainEvent.Kind.STARTED));
          }
          return null;
        }));
      }
      AtomicLong churned = new AtomicLong();
      List<Future<?>> churners = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        boolean async = c == 0;
        churners.add(pool.submit(() -> {
          start.await();
          while (publishing.get()) {
            SubscriptionBuilder<VirtEvent> b = d.subscribe(VirtEvent.class);
            if (async) {
              b.async(16, OverflowPolicy.DROP_OLDEST);
            }
            try (Registration r = b.register(e -> { })) {
              Thread.onSpinWait();
            }
            churned.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : publishers) {
        f.get(120, TimeUnit.SECONDS);
      }
      publishing.set(false);
      for (Future<?> f : churners) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      long expected = (long) PUBLISHERS * EVENTS_PER_PUBLISHER;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((asyncBlock.total.get() < expected || asyncSmall.total.get() < expected)
          && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      for (OrderChecker c : List.of(sync, asyncBlock, asyncSmall)) {
        assertThat(c.violations).isEmpty();
        assertThat(c.total.get()).isEqualTo(expected);
        assertThat(c.last).hasSize(PUBLISHERS);
        c.last.values().forEach(v -> assertThat(v.get()).isEqualTo(EVENTS_PER_PUBLISHER));
      }
      assertThat(churned.get()).isPositive();
      assertThat(errors).isEmpty();
      assertThat(d.registrations()).hasSize(3);
    }
    assertThat(EventDispatcherTest.liveDispatchThreads()).isZero();
  }

  /**
   * A drain going idle while a publisher queues must never miss the event: that event would sit
   * in the queue until the next publish, and after a burst there is none. Many short bursts, each
   * awaited before the next, give the race many chances (JDK 17's SubmissionPublisher lost the
   * last event of a burst this way in the benchmarks).
   */
  @Test
  void theLastEventOfEveryBurstArrivesWithoutAnotherPublish() throws Exception {
    int subscribers = 4;
    int bursts = 20_000;
    try (EventDispatcher d = EventDispatcher.builder().deliveryThreads(2).build()) {
      AtomicLong[] seen = new AtomicLong[subscribers];
      for (int i = 0; i < subscribers; i++) {
        AtomicLong n = new AtomicLong();
        seen[i] = n;
        // a small queue also sends the publisher through the wait for room now and then
        d.subscribe(VirtEvent.class).async(4, OverflowPolicy.BLOCK).register(e -> n.incrementAndGet());
      }
      TestEvents src = new TestEvents();
      long published = 0;
      for (int b = 0; b < bursts; b++) {
        int size = 1 + b % 7;
        for (int i = 0; i < size; i++) {
          d.publish(src.domain("g", DomainEvent.Kind.STARTED));
        }
        published += size;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (AtomicLong n : seen) {
          while (n.get() < published) {
            assertThat(System.nanoTime() - deadline)
                .as("burst %d: %d of %d events delivered after 10 s", b, n.get(), published)
                .isNegative();
            Thread.onSpinWait();
          }
        }
      }
      for (AtomicLong n : seen) {
        assertThat(n.get()).isEqualTo(published);
      }
      assertThat(d.dropped()).isZero();
    }
    assertThat(EventDispatcherTest.liveDispatchThreads()).isZero();
  }
}
