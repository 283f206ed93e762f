package org.virthooks.core.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virthooks.core.hook.HookFailure.Reason;
import org.virthooks.core.testing.HookHarness;

class HookRegistryTest {
  private static final HookPoint START = HookPoint.before("domain.start");
  private static final HookPoint STOPPED = HookPoint.after("domain.stopped");
  private static final HookPoint RESTORE = HookPoint.filter("domain.restore");

  private final HookHarness h = HookHarness.create();
  private final HookRegistry hooks = h.registry();
  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void close() {
    h.close();
  }

  private Hook recording(String name, Verdict v) {
    return call -> {
      synchronized (calls) {
        calls.add(name);
      }
      return v;
    };
  }

  @Test
  void aPointWithoutHooksProceeds() {
    h.call(START).domain("a").invoke().assertProceeds().assertNoFailures();
  }

  @Test
  void hooksRunByPriorityThenName() {
    hooks.hook(START).name("b").priority(5).register(recording("b", Verdict.proceed()));
    hooks.hook(START).name("a").priority(5).register(recording("a", Verdict.proceed()));
    hooks.hook(START).name("z").priority(-1).register(recording("z", Verdict.proceed()));
    assertThat(hooks.hookNames(START)).containsExactly("z", "a", "b");
    HookOutcome o = h.call(START).invoke().assertProceeds().outcome();
    assertThat(calls).containsExactly("z", "a", "b");
    assertThat(o.ran()).containsExactly("z", "a", "b");
  }

  @Test
  void atBeforePointsTheFirstRefusalWinsAndStopsTheChain() {
    hooks.hook(START).name("1-ok").register(recording("1", Verdict.proceed()));
    hooks.hook(START).name("2-no").register(recording("2", Verdict.refuse("not today")));
    hooks.hook(START).name("3-no").register(recording("3", Verdict.refuse("never")));
    h.call(START).domain("a").invoke().assertRefused("not today").assertDecidedBy("2-no");
    assertThat(calls).containsExactly("1", "2");
  }

  @Test
  void aThrowingBeforeHookRefusesWithItsMessage() {
    hooks.register(START, "broken", call -> {
      throw new IllegalStateException("cannot reach the IPAM");
    });
    h.call(START).invoke().assertRefused("hook 'broken' failed").assertRefused("cannot reach the IPAM");
  }

  @Test
  void anOverrunIsAbandonedAndRefusesNamingTheHookAndDeadline() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    hooks.hook(START).name("slow").deadline(Duration.ofMillis(200)).register(call -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return Verdict.proceed();
    });
    long t0 = System.nanoTime();
    HookOutcome o = h.call(START).invoke()
        .assertRefused("hook 'slow' did not answer within its deadline of 200 ms").outcome();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(o.failures()).extracting(HookFailure::reason).containsExactly(Reason.DEADLINE);
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aHookStuckInEarlierCallsIsNotCalledAgain() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
    hooks.hook(START).name("deaf").deadline(Duration.ofMillis(50)).register(call -> {
      entered.incrementAndGet();
      while (!release.get()) {
        Thread.onSpinWait(); // ignores interruption, as blocking I/O would
      }
      return Verdict.proceed();
    });
    try {
      for (int i = 0; i < HookRegistry.MAX_ABANDONED; i++) {
        h.call(START).invoke().assertRefused("did not answer within its deadline");
      }
      h.call(START).invoke().assertRefused("still stuck in " + HookRegistry.MAX_ABANDONED);
      assertThat(entered.get()).isEqualTo(HookRegistry.MAX_ABANDONED);
    } finally {
      release.set(true);
    }
    // once the stuck calls end, the hook is called again
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    HookOutcome o;
    do {
      Thread.sleep(20);
      o = h.call(START).invoke().outcome();
    } while (!o.proceeds() && System.nanoTime() < end);
    assertThat(o.proceeds()).isTrue();
  }

  @Test
  void aCallsBudgetCutsEveryHooksDeadlineAndNoneRunsOnceItIsSpent() {
    hooks.hook(STOPPED).name("1-slow").deadline(Duration.ofSeconds(10)).register(call -> {
      Thread.sleep(60_000);
      return Verdict.proceed();
    });
    hooks.hook(STOPPED).name("2-late").register(recording("2-late", Verdict.proceed()));
    long t0 = System.nanoTime();
    HookOutcome o = hooks.invoke(HookCall.of(STOPPED, org.virthooks.core.SourceId.of("test", "h"),
        "stopped"), Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(o.failures()).extracting(HookFailure::reason)
        .containsExactly(Reason.DEADLINE, Reason.DEADLINE);
    assertThat(o.failures().get(0).message()).contains("hook '1-slow' did not answer within the")
        .contains("left of the call's budget at after:domain.stopped");
    assertThat(o.failures().get(1).message())
        .isEqualTo("no time left for hook '2-late' at after:domain.stopped: the call's budget "
            + "is spent");
    assertThat(calls).isEmpty();
    // a budget longer than a hook's deadline leaves the deadline as it was
    hooks.hook(START).name("slow").deadline(Duration.ofMillis(100)).register(call -> {
      Thread.sleep(60_000);
      return Verdict.proceed();
    });
    HookOutcome before = hooks.invoke(HookCall.of(START, org.virthooks.core.SourceId.of("test",
        "h"), "start"), Duration.ofSeconds(30));
    assertThat(before.refusal()).contains("hook 'slow' did not answer within its deadline of "
        + "100 ms at before:domain.start");
  }

  @Test
  void hugeDeadlinesDoNotOverflow() {
    hooks.hook(START).name("patient").deadline(Duration.ofSeconds(Long.MAX_VALUE))
        .register(c -> Verdict.proceed());
    h.call(START).invoke().assertProceeds();
  }

  @Test
  void atAfterPointsEveryHookRunsAndFailuresAreCollected() {
    hooks.register(STOPPED, "a", call -> {
      throw new RuntimeException("disk full");
    });
    hooks.register(STOPPED, "b", recording("b", Verdict.refuse("too late")));
    hooks.hook(STOPPED).name("c").deadline(Duration.ofMillis(100)).register(call -> {
      Thread.sleep(10_000);
      return Verdict.proceed();
    });
    hooks.register(STOPPED, "d", recording("d", Verdict.proceed()));
    HookOutcome o = h.call(STOPPED).invoke().assertProceeds().outcome();
    assertThat(calls).containsExactly("b", "d");
    assertThat(o.failures()).extracting(HookFailure::reason)
        .containsExactly(Reason.THREW, Reason.REFUSED_TOO_LATE, Reason.DEADLINE);
    assertThat(o.failures().get(0).message()).contains("'a'").contains("disk full");
  }

  @Test
  void filtersChainTheirRewrites() {
    hooks.hook(RESTORE).name("1").register(c -> Verdict.rewrite(c.document().orElseThrow() + "+1"));
    hooks.hook(RESTORE).name("2").register(c -> Verdict.proceed());
    hooks.hook(RESTORE).name("3").register(c -> Verdict.rewrite(c.document().orElseThrow() + "+3"));
    h.call(RESTORE).document("<domain/>").invoke().assertRewrittenTo("<domain/>+1+3");
  }

  @Test
  void aFilterThatChangesNothingProceedsAndOneThatRefusesStops() {
    hooks.register(RESTORE, "noop", c -> Verdict.proceed());
    HookOutcome o = h.call(RESTORE).document("<d/>").invoke().assertProceeds().outcome();
    assertThat(o.rewritten()).isEmpty();
    hooks.register(RESTORE, "veto", c -> Verdict.refuse("image is from another cluster"));
    h.call(RESTORE).document("<d/>").invoke().assertRefused("another cluster");
  }

  @Test
  void aRewriteAtABeforePointIsRefusedAsABadVerdict() {
    hooks.register(START, "confused", c -> Verdict.rewrite("<x/>"));
    HookOutcome o = h.call(START).invoke().assertRefused("only proceed or refuse").outcome();
    assertThat(o.failures()).extracting(HookFailure::reason).containsExactly(Reason.BAD_VERDICT);
  }

  @Test
  void aNullVerdictIsAFailure() {
    hooks.register(START, "null", c -> null);
    h.call(START).invoke().assertRefused("no verdict");
  }

  @Test
  void registrationsCanBeClosedAndNamesAreUniquePerPoint() {
    HookRegistration r = hooks.register(START, "x", c -> Verdict.refuse("no"));
    assertThatThrownBy(() -> hooks.register(START, "x", c -> Verdict.proceed()))
        .hasMessageContaining("'x'").hasMessageContaining("before:domain.start");
    hooks.register(STOPPED, "x", c -> Verdict.proceed()); // another point: fine
    r.close();
    r.close();
    assertThat(r.isActive()).isFalse();
    assertThat(hooks.hasHooks(START)).isFalse();
    h.call(START).invoke().assertProceeds();
  }

  @Test
  void badRegistrationsAreRejected() {
    assertThatThrownBy(() -> hooks.hook(START).register(c -> Verdict.proceed()))
        .hasMessageContaining("name");
    assertThatThrownBy(() -> hooks.hook(START).name("a").deadline(Duration.ZERO))
        .hasMessageContaining("deadline");
    assertThatThrownBy(() -> HookPoint.before("Start")).hasMessageContaining("'Start'");
    assertThatThrownBy(() -> Verdict.refuse(" ")).hasMessageContaining("refusal message");
  }

  @Test
  void aClosedRegistryRefusesWorkAndStopsItsThreads() {
    HookRegistry r = HookRegistry.create();
    r.register(START, "a", c -> Verdict.proceed());
    r.invoke(HookCall.of(START, org.virthooks.core.SourceId.of("t", "t"), "start"));
    r.close();
    assertThatThrownBy(() -> r.invoke(HookCall.of(START, org.virthooks.core.SourceId.of("t", "t"),
        "start"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> r.register(START, "b", c -> Verdict.proceed()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void observersSeeEveryOutcomeWithItsDurationAndCannotChangeIt() {
    hooks.hook(START).name("slowish").register(call -> {
      Thread.sleep(30);
      return Verdict.refuse("no");
    });
    List<HookOutcome> seen = new ArrayList<>();
    List<Duration> took = new ArrayList<>();
    hooks.addObserver((o, d) -> {
      throw new IllegalStateException("a broken observer is only logged");
    });
    HookObserver recording = (o, d) -> {
      seen.add(o);
      took.add(d);
    };
    hooks.addObserver(recording);
    HookOutcome refused = h.call(START).invoke().assertRefused("no").outcome();
    HookOutcome empty = h.call(STOPPED).invoke().assertProceeds().outcome();
    assertThat(seen).containsExactly(refused, empty);
    assertThat(took.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    assertThat(hooks.removeObserver(recording)).isTrue();
    h.call(START).invoke();
    assertThat(seen).hasSize(2);
  }

  @Test
  void pointNamesSplitIntoObjectAndOperation() {
    assertThat(START.object()).isEqualTo("domain");
    assertThat(START.operation()).isEqualTo("start");
    assertThat(START).hasToString("before:domain.start");
  }
}
