package org.virthooks.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.virthooks.core.SourceId;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;

class HookRegistryMetricsTest {
  private static final HookPoint START = HookPoint.before("domain.start");
  private static final HookPoint MIGRATE = HookPoint.before("domain.migrate");
  private static final HookPoint PREPARE = HookPoint.before("domain.prepare");
  private static final HookPoint STOPPED = HookPoint.after("domain.stopped");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HookRegistry hooks = HookRegistry.create();

  @AfterEach
  void close() {
    hooks.close();
  }

  @Test
  void eachPointCountsCallsRefusalsAndOverrunsAndTimesItsCalls() {
    hooks.register(START, "ok", call -> Verdict.proceed());
    hooks.register(MIGRATE, "no", call -> Verdict.refuse("not today"));
    hooks.hook(PREPARE).name("stuck").deadline(Duration.ofMillis(50)).register(call -> {
      Thread.sleep(10_000);
      return Verdict.proceed();
    });
    hooks.hook(STOPPED).name("stuck").deadline(Duration.ofMillis(50)).register(call -> {
      Thread.sleep(10_000);
      return Verdict.proceed();
    });
    new HookRegistryMetrics(hooks).bindTo(registry);

    invoke(START, 3);
    invoke(MIGRATE, 2);
    invoke(PREPARE, 1); // an overrun at a before-point refuses
    invoke(STOPPED, 1); // and at an after-point is only reported

    assertThat(counts(START)).isEqualTo("calls=3 refusals=0 overruns=0");
    assertThat(counts(MIGRATE)).isEqualTo("calls=2 refusals=2 overruns=0");
    assertThat(counts(PREPARE)).isEqualTo("calls=1 refusals=1 overruns=1");
    assertThat(counts(STOPPED)).isEqualTo("calls=1 refusals=0 overruns=1");
    assertThat(latency(START).count()).isEqualTo(3);
    assertThat(latency(STOPPED).count()).isEqualTo(1);
    assertThat(latency(STOPPED).totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
    assertThat(latency(START).max(TimeUnit.MILLISECONDS)).isLessThan(50);
  }

  private void invoke(HookPoint point, int times) {
    for (int i = 0; i < times; i++) {
      hooks.invoke(HookCall.of(point, SourceId.of("test", "here"), point.operation()));
    }
  }

  private String counts(HookPoint p) {
    return "calls=" + count("virthooks.hook.calls", p)
        + " refusals=" + count("virthooks.hook.refusals", p)
        + " overruns=" + count("virthooks.hook.overruns", p);
  }

  private long count(String name, HookPoint p) {
    return (long) registry.get(name)
        .tags("point", p.name(), "phase", p.phase().jsonName()).counter().count();
  }

  private Timer latency(HookPoint p) {
    return registry.get("virthooks.hook.latency")
        .tags("point", p.name(), "phase", p.phase().jsonName()).timer();
  }
}
