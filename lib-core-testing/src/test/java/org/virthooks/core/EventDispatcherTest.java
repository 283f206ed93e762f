package org.virthooks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virthooks.core.testing.RecordingListener;
import org.virthooks.core.testing.TestEvents;

class EventDispatcherTest {
  private final TestEvents ev = new TestEvents();
  private final List<Throwable> reported = new ArrayList<>();
  private final EventDispatcher dispatcher = EventDispatcher.builder()
      .errorHandler((r, e, t) -> {
        synchronized (reported) {
          reported.add(t);
        }
      })
      .build();

  @AfterEach
  void close() {
    dispatcher.close();
  }

  @Test
  void typedListenersSeeOnlyTheirCategory() {
    RecordingListener<DomainEvent> domains = new RecordingListener<>();
    RecordingListener<VirtEvent> all = new RecordingListener<>();
    dispatcher.on(DomainEvent.class, domains);
    dispatcher.on(VirtEvent.class, all);
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    dispatcher.publish(ev.resource("a", Operation.ADD, ResourceType.VDISK));
    dispatcher.publish(ev.source(SourceEvent.Kind.CONNECTION_LOST));
    assertThat(domains.events()).extracting(DomainEvent::kind).containsExactly(DomainEvent.Kind.STARTED);
    assertThat(all.events()).extracting(VirtEvent::seq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void predicatesFilterAndSeveralFiltersMustAllMatch() {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    dispatcher.on(e -> e.optionalDomain().map(d -> d.name().equals("b")).orElse(false), rec);
    RecordingListener<DomainEvent> both = new RecordingListener<>();
    dispatcher.subscribe(DomainEvent.class).filter(e -> e.domain().name().equals("b"))
        .filter(e -> e.kind() == DomainEvent.Kind.STOPPED).register(both);
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STOPPED));
    dispatcher.publish(ev.domain("b", DomainEvent.Kind.STARTED));
    dispatcher.publish(ev.domain("b", DomainEvent.Kind.STOPPED));
    assertThat(rec.events()).hasSize(2);
    assertThat(both.events()).extracting(VirtEvent::seq).containsExactly(3L);
  }

  @Test
  void filteringBySourceKeepsOtherSourcesOut() {
    TestEvents other = new TestEvents(SourceId.of("test", "other"));
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    dispatcher.subscribe(VirtEvent.class).from(other.stamper().source()).register(rec);
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    dispatcher.publish(other.domain("a", DomainEvent.Kind.STARTED));
    assertThat(rec.events()).extracting(VirtEvent::source).containsExactly(other.stamper().source());
  }

  @Test
  void aClosedRegistrationReceivesNothingMoreAndClosingTwiceIsHarmless() {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    Registration r = dispatcher.on(VirtEvent.class, rec);
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    r.close();
    r.close();
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STOPPED));
    assertThat(rec.count()).isEqualTo(1);
    assertThat(r.isActive()).isFalse();
    assertThat(dispatcher.registrations()).isEmpty();
  }

  @Test
  void aThrowingListenerIsReportedAndTheOthersStillRun() {
    RecordingListener<VirtEvent> before = new RecordingListener<>();
    RecordingListener<VirtEvent> after = new RecordingListener<>();
    dispatcher.on(VirtEvent.class, before);
    dispatcher.subscribe(VirtEvent.class).name("broken").register(e -> {
      throw new IllegalStateException("boom");
    });
    dispatcher.subscribe(VirtEvent.class).filter(e -> {
      throw new IllegalStateException("bad filter");
    }).register(e -> { });
    dispatcher.on(VirtEvent.class, after);
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    assertThat(before.count()).isEqualTo(1);
    assertThat(after.count()).isEqualTo(1);
    assertThat(reported).extracting(Throwable::getMessage).containsExactly("boom", "bad filter");
  }

  @Test
  void aThrowingErrorHandlerDoesNotReachThePublisher() {
    try (EventDispatcher d = EventDispatcher.builder()
        .errorHandler((r, e, t) -> {
          throw new IllegalStateException("handler broken too");
        }).build()) {
      RecordingListener<VirtEvent> rec = new RecordingListener<>();
      d.on(VirtEvent.class, e -> {
        throw new IllegalStateException("boom");
      });
      d.on(VirtEvent.class, rec);
      d.publish(ev.domain("a", DomainEvent.Kind.STARTED));
      assertThat(rec.count()).isEqualTo(1);
    }
  }

  @Test
  void asyncDeliveryRunsOffThePublishingThreadInOrder() {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    List<String> threads = new ArrayList<>();
    dispatcher.subscribe(VirtEvent.class).async().register(e -> {
      synchronized (threads) {
        threads.add(Thread.currentThread().getName());
      }
      rec.onEvent(e);
    });
    for (int i = 0; i < 1000; i++) {
      dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    }
    assertThat(rec.awaitCount(1000, Duration.ofSeconds(10))).extracting(VirtEvent::seq)
        .isSorted().doesNotHaveDuplicates();
    assertThat(threads).allMatch(n -> n.startsWith("virthooks-dispatch-"));
  }

  @Test
  void dropNewestKeepsTheFirstEventsAndCountsTheRest() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    Registration r = dispatcher.subscribe(VirtEvent.class).async(4, OverflowPolicy.DROP_NEWEST)
        .register(e -> {
          await(gate);
          rec.onEvent(e);
        });
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED)); // taken by the drain, waits
    waitUntilQueued(r, 0);
    for (int i = 0; i < 10; i++) {
      dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    }
    assertThat(r.queued()).isEqualTo(4);
    assertThat(r.dropped()).isEqualTo(6);
    gate.countDown();
    assertThat(rec.awaitCount(5, Duration.ofSeconds(5))).extracting(VirtEvent::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(dispatcher.dropped()).isEqualTo(6);
    assertThat(r.delivered()).isEqualTo(5);
  }

  @Test
  void registrationsCountWhatTheirListenerWasHandedAndNameTheirType() {
    Registration domains = dispatcher.on(DomainEvent.class, e -> e.domain().name().equals("b"),
        e -> {
          throw new IllegalStateException("counted all the same");
        });
    Registration all = dispatcher.on(VirtEvent.class, e -> {});
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    dispatcher.publish(ev.domain("b", DomainEvent.Kind.STARTED));
    dispatcher.publish(ev.source(SourceEvent.Kind.CONNECTION_LOST));
    assertThat(domains.delivered()).isEqualTo(1);
    assertThat(all.delivered()).isEqualTo(3);
    assertThat(domains.eventType()).isEqualTo(DomainEvent.class);
    assertThat(dispatcher.registrations()).extracting(Registration::eventType)
        .containsExactlyInAnyOrder(DomainEvent.class, VirtEvent.class);
  }

  @Test
  void dropOldestKeepsTheLastEventsAndCountsTheRest() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    Registration r = dispatcher.subscribe(VirtEvent.class).async(4, OverflowPolicy.DROP_OLDEST)
        .register(e -> {
          await(gate);
          rec.onEvent(e);
        });
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    waitUntilQueued(r, 0);
    for (int i = 0; i < 10; i++) {
      dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    }
    assertThat(r.dropped()).isEqualTo(6);
    gate.countDown();
    assertThat(rec.awaitCount(5, Duration.ofSeconds(5))).extracting(VirtEvent::seq)
        .containsExactly(1L, 8L, 9L, 10L, 11L);
  }

  @Test
  void aQueueOfOneHoldsTwoUnderEveryPolicy() throws Exception {
    // capacity 1 is allowed; the queues round it up to 2 (JCTools' MPMC queue refuses 1)
    for (OverflowPolicy policy : OverflowPolicy.values()) {
      CountDownLatch gate = new CountDownLatch(1);
      RecordingListener<VirtEvent> rec = new RecordingListener<>();
      Registration r = dispatcher.subscribe(VirtEvent.class).async(1, policy)
          .register(e -> {
            await(gate);
            rec.onEvent(e);
          });
      dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
      waitUntilQueued(r, 0);
      dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
      dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
      assertThat(r.queued()).as(policy.name()).isEqualTo(2);
      assertThat(r.dropped()).as(policy.name()).isZero();
      gate.countDown();
      assertThat(rec.awaitCount(3, Duration.ofSeconds(5))).as(policy.name()).hasSize(3);
      r.close();
    }
  }

  @Test
  void blockMakesThePublisherWaitAndLosesNothing() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    Registration r = dispatcher.subscribe(VirtEvent.class).async(2, OverflowPolicy.BLOCK)
        .register(e -> {
          await(gate);
          rec.onEvent(e);
        });
    AtomicInteger published = new AtomicInteger();
    Thread publisher = new Thread(() -> {
      for (int i = 0; i < 10; i++) {
        dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
        published.incrementAndGet();
      }
    });
    publisher.start();
    Thread.sleep(200);
    assertThat(published.get()).isLessThan(10); // 1 in delivery + 2 queued + 1 waiting
    gate.countDown();
    publisher.join(5000);
    assertThat(rec.awaitCount(10, Duration.ofSeconds(5))).extracting(VirtEvent::seq).isSorted();
    assertThat(r.dropped()).isZero();
  }

  @Test
  void aListenerMayPublishIntoAnotherFullBlockingSubscriptionEvenWithOneDeliveryThread() {
    try (EventDispatcher d = EventDispatcher.builder().deliveryThreads(1).build()) {
      RecordingListener<ResourceEvent> b = new RecordingListener<>();
      d.subscribe(ResourceEvent.class).async(2, OverflowPolicy.BLOCK).register(b);
      // A turns each domain event into ten resource events, from a delivery thread
      d.subscribe(DomainEvent.class).async().register(e -> {
        for (int i = 0; i < 10; i++) {
          d.publish(ev.resource("a", Operation.ADD, ResourceType.VDISK));
        }
      });
      d.publish(ev.domain("a", DomainEvent.Kind.STARTED));
      assertThat(b.awaitCount(10, Duration.ofSeconds(10))).hasSize(10);
    }
  }

  @Test
  void subscriptionObserversAreToldOfExistingLaterAndClosedSubscriptionsOnce() {
    List<String> told = new ArrayList<>();
    SubscriptionObserver observer = new SubscriptionObserver() {
      @Override
      public void subscribed(Registration r) {
        told.add("+" + r.name());
      }

      @Override
      public void closed(Registration r) {
        told.add("-" + r.name());
      }
    };
    SubscriptionObserver throwing = new SubscriptionObserver() {
      @Override
      public void subscribed(Registration r) {
        throw new IllegalStateException("observer bug");
      }

      @Override
      public void closed(Registration r) {
        throw new IllegalStateException("observer bug");
      }
    };
    Registration before = dispatcher.subscribe(DomainEvent.class).name("before").register(e -> {});
    dispatcher.addSubscriptionObserver(throwing);
    dispatcher.addSubscriptionObserver(observer);
    Registration after = dispatcher.subscribe(VirtEvent.class).name("after").async()
        .register(e -> {});
    before.close();
    before.close();
    dispatcher.subscribe(VirtEvent.class).name("lasts").register(e -> {});
    assertThat(dispatcher.removeSubscriptionObserver(throwing)).isTrue();
    assertThat(dispatcher.removeSubscriptionObserver(throwing)).isFalse();
    after.close();
    assertThat(dispatcher.removeSubscriptionObserver(observer)).isTrue();
    dispatcher.subscribe(VirtEvent.class).name("unseen").register(e -> {});
    assertThat(told).containsExactly("+before", "+after", "-before", "+lasts", "-after");
  }

  @Test
  void closeDrainsQueuesThenStopsEveryThread() {
    EventDispatcher d = EventDispatcher.create();
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    d.subscribe(VirtEvent.class).async().register(e -> {
      sleep(1);
      rec.onEvent(e);
    });
    for (int i = 0; i < 50; i++) {
      d.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    }
    d.close();
    assertThat(rec.count()).isEqualTo(50);
    assertThat(d.isClosed()).isTrue();
    assertThat(liveDispatchThreads()).isZero();
    assertThatThrownBy(() -> d.publish(ev.domain("a", DomainEvent.Kind.STOPPED)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> d.on(VirtEvent.class, e -> { }))
        .isInstanceOf(IllegalStateException.class);
    d.close();
  }

  @Test
  void aSynchronousOnlyDispatcherStartsNoThread() {
    int before = liveDispatchThreads();
    try (EventDispatcher d = EventDispatcher.create()) {
      d.on(VirtEvent.class, e -> { });
      d.publish(ev.domain("a", DomainEvent.Kind.STARTED));
      assertThat(liveDispatchThreads()).isEqualTo(before);
    }
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> dispatcher.subscribe(VirtEvent.class).async(0, OverflowPolicy.BLOCK))
        .hasMessageContaining("queueCapacity");
    assertThatThrownBy(() -> dispatcher.on(VirtEvent.class, null)).hasMessageContaining("listener");
    assertThatThrownBy(() -> EventDispatcher.builder().closeGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("closeGrace");
  }

  static int liveDispatchThreads() {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int n;
    do {
      n = (int) Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("virthooks-dispatch-") && t.isAlive()).count();
      if (n == 0) {
        break;
      }
      sleep(10);
    } while (System.nanoTime() < end);
    return n;
  }

  private static void waitUntilQueued(Registration r, int n) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (r.queued() != n && System.nanoTime() < end) {
      sleep(1);
    }
    assertThat(r.queued()).isEqualTo(n);
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
