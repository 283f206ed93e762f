package org.virthooks.core.hook;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.hook.HookFailure.Reason;
import org.virthooks.core.internal.Checks;

/**
 * Holds the hooks of every point and runs them with their deadlines.
 *
 * <pre>{@code
 * HookRegistry hooks = HookRegistry.create();
 * hooks.hook(HookPoint.before("domain.start")).name("memory-budget").priority(10)
 *     .deadline(Duration.ofSeconds(2))
 *     .register(call -> tooBig(call) ? Verdict.refuse("over budget") : Verdict.proceed());
 * HookOutcome outcome = hooks.invoke(call);
 * }</pre>
 *
 * <p>Hooks of a point run one after the other, ordered by priority (lower first) then name, each
 * on a worker thread so that its deadline can be enforced: an overrun is interrupted and
 * abandoned. The phase decides what answers mean; see {@link HookPhase}. Thread-safe;
 * {@link #close()} stops the worker threads.
 */
public final class HookRegistry implements AutoCloseable {
  /** The deadline of a hook registered without one. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
  /** How many overrun calls of one hook may still be running before it is not called any more. */
  public static final int MAX_ABANDONED = 4;

  private static final Logger LOG = LoggerFactory.getLogger(HookRegistry.class);
  private static final Comparator<Entry> ORDER =
      Comparator.comparingInt(Entry::priority).thenComparing(Entry::name);

  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final List<HookObserver> observers = new CopyOnWriteArrayList<>();
  private final Duration defaultDeadline;
  private final ExecutorService workers;
  private volatile boolean closed;

  private HookRegistry(Duration defaultDeadline) {
    this.defaultDeadline = defaultDeadline;
    // a thread per running hook: an abandoned, stuck hook must not hold up the next call
    this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        new ThreadFactoryBuilder().setNameFormat("virthooks-hook-%d").setDaemon(true).build());
  }

  /** A registry whose hooks have {@link #DEFAULT_DEADLINE} unless registered with their own. */
  public static HookRegistry create() {
    return new HookRegistry(DEFAULT_DEADLINE);
  }

  /** A registry with another default deadline. */
  public static HookRegistry withDefaultDeadline(Duration deadline) {
    return new HookRegistry(checkDeadline(deadline));
  }

  /** Starts registering a hook at {@code point}. */
  public HookBuilder hook(HookPoint point) {
    return new HookBuilder(this, Checks.notNull("point", point));
  }

  /** Registers {@code hook} at {@code point} under {@code name} with priority 0 and the default deadline. */
  public HookRegistration register(HookPoint point, String name, Hook hook) {
    return hook(point).name(name).register(hook);
  }

  /** True when at least one hook is registered at {@code point}. */
  public boolean hasHooks(HookPoint point) {
    for (Entry e : entries) {
      if (e.point.equals(point)) {
        return true;
      }
    }
    return false;
  }

  /** The names of the hooks at {@code point}, in the order they run. */
  public List<String> hookNames(HookPoint point) {
    return hooksAt(point).stream().map(Entry::name).toList();
  }

  /** Every point that has hooks. */
  public List<HookPoint> points() {
    return entries.stream().map(Entry::point).distinct().toList();
  }

  /** Tells {@code observer} of every later {@link #invoke}, after the observers added before it. */
  public void addObserver(HookObserver observer) {
    observers.add(Checks.notNull("observer", observer));
  }

  /** Stops telling {@code observer}; false when it was not added. */
  public boolean removeObserver(HookObserver observer) {
    return observers.remove(observer);
  }

  /**
   * Runs the hooks at {@code call.point()} and returns their joint outcome; a point with no hooks
   * proceeds. Never throws for what hooks do. Every {@link HookObserver} is told of the outcome
   * before it is returned.
   */
  public HookOutcome invoke(HookCall call) {
    return invoke(call, null);
  }

  /**
   * As {@link #invoke(HookCall)}, with every hook's deadline cut to what is left of
   * {@code budget}, counted from now: for a daemon that kills the script after a fixed time
   * (libxl, at 40 s), so that the hooks of a call answer in time together, not only one by one.
   * A hook reached with nothing left fails as an overrun ({@link HookFailure.Reason#DEADLINE})
   * without being called.
   */
  public HookOutcome invoke(HookCall call, Duration budget) {
    Checks.notNull("call", call);
    if (budget != null) {
      checkDeadline(budget);
    }
    if (closed) {
      throw new IllegalStateException("hook registry is closed");
    }
    long start = System.nanoTime();
    HookOutcome outcome = run(call, budget == null ? null
        : new Budget(start + Checks.saturatedNanos(budget)));
    if (!observers.isEmpty()) {
      tell(outcome, Duration.ofNanos(System.nanoTime() - start));
    }
    return outcome;
  }

  // an observer is monitoring: it must not change what the daemon is told, so its errors are
  // logged and the next observer still runs
  private void tell(HookOutcome outcome, Duration took) {
    for (HookObserver o : observers) {
      try {
        o.invoked(outcome, took);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("hook observer {} threw at {}", o, outcome.point(), e);
      }
    }
  }

  /** When a call's budget ends, on {@link System#nanoTime}. */
  private record Budget(long endNanos) {}

  private HookOutcome run(HookCall call, Budget budget) {
    HookPoint point = call.point();
    List<String> ran = new ArrayList<>();
    List<HookFailure> failures = new ArrayList<>();
    String document = call.document().orElse(null);
    boolean rewritten = false;
    for (Entry e : hooksAt(point)) {
      HookCall current = point.phase() == HookPhase.FILTER ? call.withDocument(document) : call;
      ran.add(e.name);
      Verdict v;
      try {
        v = e.run(current, workers, budget);
      } catch (HookFailedException f) {
        failures.add(f.failure);
        if (point.phase() == HookPhase.AFTER && !Thread.currentThread().isInterrupted()) {
          continue;
        }
        if (point.phase() == HookPhase.AFTER) {
          break; // the caller was interrupted: start no further hook
        }
        return new HookOutcome(point, Verdict.refuse(f.failure.message()), Optional.of(e.name), ran,
            failures);
      }
      switch (point.phase()) {
        case BEFORE -> {
          if (v instanceof Verdict.Refuse) {
            return new HookOutcome(point, v, Optional.of(e.name), ran, failures);
          }
          if (v instanceof Verdict.Rewrite) {
            String msg = "hook '" + e.name + "' returned a rewritten document at " + point
                + ", where only proceed or refuse is allowed";
            failures.add(new HookFailure(e.name, Reason.BAD_VERDICT, msg, Optional.empty()));
            return new HookOutcome(point, Verdict.refuse(msg), Optional.of(e.name), ran, failures);
          }
        }
        case AFTER -> {
          if (v instanceof Verdict.Refuse r) {
            failures.add(new HookFailure(e.name, Reason.REFUSED_TOO_LATE,
                "hook '" + e.name + "' refused at " + point + ", where nothing can be refused: "
                    + r.message(), Optional.empty()));
          }
        }
        case FILTER -> {
          if (v instanceof Verdict.Refuse) {
            return new HookOutcome(point, v, Optional.of(e.name), ran, failures);
          }
          if (v instanceof Verdict.Rewrite w) {
            document = w.document();
            rewritten = true;
          }
        }
      }
    }
    Verdict result = rewritten ? Verdict.rewrite(document) : Verdict.proceed();
    return new HookOutcome(point, result, Optional.empty(), ran, failures);
  }

  /** Removes every hook and stops the worker threads; hooks still running are interrupted. */
  @Override
  public void close() {
    synchronized (entries) {
      closed = true;
      entries.clear();
    }
    workers.shutdownNow();
  }

  private List<Entry> hooksAt(HookPoint point) {
    List<Entry> at = new ArrayList<>();
    for (Entry e : entries) {
      if (e.point.equals(point)) {
        at.add(e);
      }
    }
    at.sort(ORDER);
    return at;
  }

  HookRegistration add(HookPoint point, String name, int priority, Duration deadline, Hook hook) {
    Checks.notNull("hook", hook);
    Entry entry = new Entry(point, name, priority, deadline != null ? deadline : defaultDeadline,
        hook);
    synchronized (entries) {
      if (closed) {
        throw new IllegalStateException("hook registry is closed");
      }
      for (Entry e : entries) {
        if (e.point.equals(point) && e.name.equals(name)) {
          throw new IllegalArgumentException(
              "a hook named '" + name + "' is already registered at " + point);
        }
      }
      entries.add(entry);
    }
    return entry;
  }

  static Duration checkDeadline(Duration d) {
    Checks.notNull("deadline", d);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + d);
    }
    return d;
  }

  private final class Entry implements HookRegistration {
    private final HookPoint point;
    private final String name;
    private final int priority;
    private final Duration deadline;
    private final Hook hook;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicInteger abandoned = new AtomicInteger();

    Entry(HookPoint point, String name, int priority, Duration deadline, Hook hook) {
      this.point = point;
      this.name = name;
      this.priority = priority;
      this.deadline = deadline;
      this.hook = hook;
    }

    Verdict run(HookCall call, ExecutorService pool, Budget budget) throws HookFailedException {
      int stuck = abandoned.get();
      if (stuck >= MAX_ABANDONED) {
        // each abandoned call holds a thread: stop feeding a hook that never returns
        throw fail(Reason.DEADLINE, "hook '" + name + "' is still stuck in " + stuck
            + " earlier calls that overran their deadline; not calling it at " + point, null);
      }
      long wait = Checks.saturatedNanos(deadline);
      boolean cut = false;
      if (budget != null) {
        long left = budget.endNanos() - System.nanoTime();
        if (left <= 0) {
          throw fail(Reason.DEADLINE, "no time left for hook '" + name + "' at " + point
              + ": the call's budget is spent", null);
        }
        if (left < wait) {
          wait = left;
          cut = true;
        }
      }
      // 0 running, 1 finished, 2 abandoned: whoever moves it first decides who counts
      AtomicInteger fate = new AtomicInteger();
      Future<Verdict> f;
      try {
        f = pool.submit(() -> {
          try {
            return hook.apply(call);
          } finally {
            if (!fate.compareAndSet(0, 1)) {
              abandoned.decrementAndGet();
            }
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        throw fail(Reason.THREW, "hook '" + name + "' could not run: the registry is closed", e);
      }
      try {
        Verdict v = f.get(wait, TimeUnit.NANOSECONDS);
        if (v == null) {
          throw fail(Reason.BAD_VERDICT, "hook '" + name + "' returned no verdict at " + point, null);
        }
        return v;
      } catch (TimeoutException e) {
        if (fate.compareAndSet(0, 2)) {
          abandoned.incrementAndGet();
        }
        f.cancel(true);
        throw fail(Reason.DEADLINE, cut
            ? "hook '" + name + "' did not answer within the " + human(Duration.ofNanos(wait))
                + " left of the call's budget at " + point
            : "hook '" + name + "' did not answer within its deadline of " + human(deadline)
                + " at " + point, null);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw fail(Reason.THREW, "hook '" + name + "' failed at " + point + ": " + describe(cause),
            cause);
      } catch (CancellationException e) {
        throw fail(Reason.THREW, "hook '" + name + "' was cancelled at " + point, e);
      } catch (InterruptedException e) {
        if (fate.compareAndSet(0, 2)) {
          abandoned.incrementAndGet();
        }
        f.cancel(true);
        Thread.currentThread().interrupt();
        throw fail(Reason.THREW, "interrupted while waiting for hook '" + name + "' at " + point, e);
      }
    }

    private HookFailedException fail(Reason reason, String message, Throwable cause) {
      return new HookFailedException(
          new HookFailure(name, reason, message, Optional.ofNullable(cause)));
    }

    int priority() {
      return priority;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public HookPoint point() {
      return point;
    }

    @Override
    public boolean isActive() {
      return active.get();
    }

    @Override
    public void close() {
      if (active.compareAndSet(true, false)) {
        entries.remove(this);
      }
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getName() : m;
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }

  private static final class HookFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient HookFailure failure;

    HookFailedException(HookFailure failure) {
      super(failure.message(), null, false, false);
      this.failure = failure;
    }
  }
}
