package org.virthooks.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.Registration;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.TestEvents;

class EventDispatcherMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventDispatcher dispatcher = EventDispatcher.create();
  private final TestEvents ev = new TestEvents();
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void close() {
    gate.countDown();
    dispatcher.close();
  }

  @Test
  void eachSubscriptionReportsDeliveredDroppedAndQueued() throws Exception {
    dispatcher.subscribe(DomainEvent.class).name("audit")
        .filter(e -> e.domain().name().equals("b")).register(e -> {});
    Registration slow = dispatcher.subscribe(VirtEvent.class).name("slow")
        .async(4, OverflowPolicy.DROP_NEWEST).register(e -> awaitGate());
    new EventDispatcherMetrics(dispatcher).bindTo(registry);

    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED)); // the drain takes it and waits
    waitUntil(() -> slow.delivered() == 1);
    for (int i = 0; i < 10; i++) {
      dispatcher.publish(ev.domain(i < 3 ? "b" : "c", DomainEvent.Kind.STARTED));
    }

    assertThat(delivered("audit", "DomainEvent")).isEqualTo(3.0);
    assertThat(dropped("audit", "DomainEvent")).isZero();
    assertThat(queued("audit", "DomainEvent")).isZero();
    assertThat(delivered("slow", "VirtEvent")).isEqualTo(1.0);
    assertThat(queued("slow", "VirtEvent")).isEqualTo(4.0);
    assertThat(dropped("slow", "VirtEvent")).isEqualTo(6.0);

    gate.countDown();
    waitUntil(() -> slow.delivered() == 5);
    assertThat(delivered("slow", "VirtEvent")).isEqualTo(5.0);
    assertThat(queued("slow", "VirtEvent")).isZero();
  }

  @Test
  void subscriptionsMadeAfterBindingGetMetersAndClosedOnesLoseThem() {
    Registration early = dispatcher.subscribe(VirtEvent.class).name("early").register(e -> {});
    new EventDispatcherMetrics(dispatcher).bindTo(registry);
    Registration late = dispatcher.subscribe(DomainEvent.class).name("late")
        .async(8, OverflowPolicy.BLOCK).register(e -> {});
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));

    assertThat(delivered("early", "VirtEvent")).isEqualTo(1.0);
    assertThat(registry.find("virthooks.subscription.queued").tags("subscription", "late").gauge())
        .isNotNull();
    assertThat(registry.find("virthooks.subscription.dropped").tags("subscription", "late")
        .functionCounter()).isNotNull();

    early.close();
    assertThat(registry.find("virthooks.subscription.delivered").tags("subscription", "early")
        .meters()).isEmpty();
    assertThat(registry.find("virthooks.subscription.queued").tags("subscription", "early")
        .meters()).isEmpty();
    assertThat(registry.find("virthooks.subscription.delivered").tags("subscription", "late")
        .meters()).hasSize(1);

    late.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void bindingTwiceMakesOneSetOfMetersAndClosingTheDispatcherRemovesThem() {
    new EventDispatcherMetrics(dispatcher).bindTo(registry);
    new EventDispatcherMetrics(dispatcher).bindTo(registry);
    dispatcher.subscribe(VirtEvent.class).name("one").register(e -> {});
    dispatcher.publish(ev.domain("a", DomainEvent.Kind.STARTED));
    assertThat(registry.getMeters()).hasSize(3);
    assertThat(delivered("one", "VirtEvent")).isEqualTo(1.0);

    dispatcher.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  private double delivered(String name, String type) {
    return registry.get("virthooks.subscription.delivered")
        .tags("subscription", name, "type", type).functionCounter().count();
  }

  private double dropped(String name, String type) {
    return registry.get("virthooks.subscription.dropped")
        .tags("subscription", name, "type", type).functionCounter().count();
  }

  private double queued(String name, String type) {
    return registry.get("virthooks.subscription.queued")
        .tags("subscription", name, "type", type).gauge().value();
  }

  private void awaitGate() {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - end).as("waited 5 s").isNegative();
      Thread.sleep(1);
    }
  }
}
