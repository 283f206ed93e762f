package org.virthooks.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.virthooks.core.hook.HookFailure;
import org.virthooks.core.hook.HookObserver;
import org.virthooks.core.hook.HookOutcome;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;

/**
 * Calls, refusals, overruns and latency of each hook point of a {@link HookRegistry}, tagged with
 * the point's {@code point} name ({@code domain.start}) and {@code phase} ({@code before},
 * {@code after}, {@code filter}). Meters appear at a point's first call.
 *
 * <ul>
 *   <li>{@code virthooks.hook.calls} (counter): invocations of the point.
 *   <li>{@code virthooks.hook.refusals} (counter): invocations whose verdict was a refusal, a
 *       hook's own or one for a hook that failed.
 *   <li>{@code virthooks.hook.overruns} (counter): hooks that failed their deadline (or were not
 *       called because earlier overruns of theirs were still running).
 *   <li>{@code virthooks.hook.latency} (timer): the whole invocation, every hook of the point
 *       included.
 * </ul>
 */
public final class HookRegistryMetrics implements MeterBinder {
  private final HookRegistry hooks;
  private final Tags tags;

  /** Metrics of the hook points of {@code hooks}. */
  public HookRegistryMetrics(HookRegistry hooks) {
    this(hooks, Tags.empty());
  }

  /** Metrics of the hook points of {@code hooks}, with {@code tags} added to each meter. */
  public HookRegistryMetrics(HookRegistry hooks, Iterable<Tag> tags) {
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.tags = Tags.of(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    hooks.addObserver(new Observer(registry, tags));
  }

  // points are only known as they are called, so a point's meters are made at its first call,
  // all four at once, so that a point never refused still shows 0 refusals
  private static final class Observer implements HookObserver {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<HookPoint, PointMeters> points = new ConcurrentHashMap<>();

    Observer(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
    }

    @Override
    public void invoked(HookOutcome outcome, Duration took) {
      PointMeters m = points.computeIfAbsent(outcome.point(), this::meters);
      m.calls.increment();
      if (!outcome.proceeds()) {
        m.refusals.increment();
      }
      for (HookFailure f : outcome.failures()) {
        if (f.reason() == HookFailure.Reason.DEADLINE) {
          m.overruns.increment();
        }
      }
      m.latency.record(took);
    }

    private PointMeters meters(HookPoint point) {
      Tags t = tags.and("point", point.name(), "phase", point.phase().jsonName());
      return new PointMeters(
          Counter.builder("virthooks.hook.calls").tags(t)
              .description("invocations of the hook point").register(registry),
          Counter.builder("virthooks.hook.refusals").tags(t)
              .description("invocations of the hook point that were refused").register(registry),
          Counter.builder("virthooks.hook.overruns").tags(t)
              .description("hooks that did not answer within their deadline").register(registry),
          Timer.builder("virthooks.hook.latency").tags(t)
              .description("time to the outcome of the hook point, every hook included")
              .register(registry));
    }
  }

  private record PointMeters(Counter calls, Counter refusals, Counter overruns, Timer latency) {}
}
