package org.virthooks.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.Verdict;

/** The test support must fail when it should, or users' tests prove nothing. */
class TestingSupportTest {
  private final TestEvents ev = new TestEvents();

  @Test
  void awaitCountFailsListingWhatArrived() {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    rec.onEvent(ev.domain("a", DomainEvent.Kind.STARTED));
    assertThatThrownBy(() -> rec.awaitCount(2, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("got 1")
        .hasMessageContaining("domain/started");
  }

  @Test
  void awaitMatchWaitsForALaterEvent() throws Exception {
    RecordingListener<DomainEvent> rec = new RecordingListener<>();
    Thread t = new Thread(() -> {
      sleep(50);
      rec.onEvent(ev.domain("a", DomainEvent.Kind.STOPPED));
    });
    t.start();
    assertThat(rec.awaitMatch(e -> e.kind() == DomainEvent.Kind.STOPPED, Duration.ofSeconds(5))
        .domain().name()).isEqualTo("a");
    t.join();
    assertThatThrownBy(() -> rec.awaitMatch(e -> false, Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void assertNoMoreThanFailsOnExtraEvents() {
    RecordingListener<VirtEvent> rec = new RecordingListener<>();
    rec.onEvent(ev.domain("a", DomainEvent.Kind.STARTED));
    rec.assertNoMoreThan(1, Duration.ofMillis(10));
    rec.onEvent(ev.domain("a", DomainEvent.Kind.STARTED));
    assertThatThrownBy(() -> rec.assertNoMoreThan(1, Duration.ofMillis(10)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("got 2");
  }

  @Test
  void outcomeAssertionsFailWhenTheVerdictDiffers() {
    try (HookHarness h = HookHarness.create()) {
      HookPoint start = HookPoint.before("domain.start");
      h.registry().register(start, "no", c -> Verdict.refuse("over budget"));
      HookHarness.OutcomeAssert o = h.call(start).domain("a").invoke();
      o.assertRefused("budget").assertDecidedBy("no");
      assertThatThrownBy(o::assertProceeds).isInstanceOf(AssertionError.class)
          .hasMessageContaining("over budget");
      assertThatThrownBy(() -> o.assertRefused("quota")).isInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> o.assertRewrittenTo("x")).isInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> o.assertDecidedBy("yes")).isInstanceOf(AssertionError.class);
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
