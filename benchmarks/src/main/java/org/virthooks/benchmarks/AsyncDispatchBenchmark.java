package org.virthooks.benchmarks;

import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.Registration;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.TestEvents;

/**
 * Asynchronous delivery to N subscribers: virthooks' bounded per-subscription queues against
 * {@code java.util.concurrent.SubmissionPublisher} with the same buffer size and the same number
 * of delivery threads, under {@code BLOCK} (nothing lost) and {@code DROP_OLDEST}. One operation
 * is one event published to every subscriber; each invocation publishes {@link #BATCH} events
 * and waits until every subscriber has delivered or (under {@code DROP_OLDEST}) discarded them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class AsyncDispatchBenchmark {
  static final int BATCH = 100_000;
  static final int BUFFER = 8192;

  /** virthooks' side: its own parameters, so that SubmissionPublisher is not run once per policy. */
  @State(Scope.Benchmark)
  public static class Ours {
    @Param({"1", "4"})
    public int listeners;

    @Param({"BLOCK", "DROP_OLDEST"})
    public OverflowPolicy policy;

    EventDispatcher dispatcher;
    Registration[] subs;
    DomainEvent event;

    /** Subscribes {@code listeners} counting listeners. */
    @Setup(Level.Trial)
    public void setUp() {
      event = new TestEvents().domain("bench", DomainEvent.Kind.STARTED);
      dispatcher = EventDispatcher.builder().deliveryThreads(threads()).build();
      subs = new Registration[listeners];
      for (int i = 0; i < listeners; i++) {
        Count c = new Count();
        subs[i] = dispatcher.subscribe(VirtEvent.class).async(BUFFER, policy)
            .register(e -> c.add());
      }
    }

    /** Stops the dispatcher. */
    @TearDown(Level.Trial)
    public void tearDown() {
      dispatcher.close();
    }
  }

  /** SubmissionPublisher's side. */
  @State(Scope.Benchmark)
  public static class Theirs {
    @Param({"1", "4"})
    public int listeners;

    SubmissionPublisher<VirtEvent> publisher;
    ForkJoinPool pool;
    Count[] counts;
    DomainEvent event;

    /** Subscribes {@code listeners} counting subscribers. */
    @Setup(Level.Trial)
    public void setUp() {
      event = new TestEvents().domain("bench", DomainEvent.Kind.STARTED);
      pool = new ForkJoinPool(threads());
      publisher = new SubmissionPublisher<>(pool, BUFFER);
      counts = new Count[listeners];
      for (int i = 0; i < listeners; i++) {
        counts[i] = new Count();
        publisher.subscribe(counts[i]);
      }
    }

    /** Stops the publisher and its pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
      publisher.close();
      pool.shutdownNow();
    }
  }

  /**
   * Events each subscriber handed to its listener, per second (JMH sums the field over an
   * iteration and divides by its time). Under BLOCK it equals the throughput; under DROP_OLDEST
   * the throughput counts discarded events too, and this tells how many arrived.
   */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Delivered {
    public long delivered;

    /** Zeroed per iteration, as JMH wants of an auxiliary counter. */
    @Setup(Level.Iteration)
    public void reset() {
      delivered = 0;
    }
  }

  /** Counts events; written by one delivery thread at a time. */
  public static final class Count implements Flow.Subscriber<VirtEvent> {
    volatile long n;

    void add() {
      n = n + 1;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(VirtEvent item) {
      add();
    }

    @Override
    public void onError(Throwable t) {
      throw new IllegalStateException(t);
    }

    @Override
    public void onComplete() {
    }
  }

  static int threads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** virthooks: publish a batch, wait until every subscriber has delivered or discarded it. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void virthooks(Ours s, Delivered d) {
    long before = 0;
    for (Registration r : s.subs) {
      before += r.delivered();
    }
    long target = accounted(s.subs[0]) + BATCH;
    for (int i = 0; i < BATCH; i++) {
      s.dispatcher.publish(s.event);
    }
    long deadline = deadline();
    long after = 0;
    for (Registration r : s.subs) {
      while (accounted(r) < target) {
        spinUntil(deadline, accounted(r), target);
      }
      after += r.delivered();
    }
    d.delivered += (after - before) / s.subs.length;
  }

  /** SubmissionPublisher: submit a batch, wait for every subscriber to have it. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void submissionPublisher(Theirs s, Delivered d) {
    long target = s.counts[0].n + BATCH;
    for (int i = 0; i < BATCH; i++) {
      s.publisher.submit(s.event);
    }
    long deadline = deadline();
    for (Count c : s.counts) {
      while (c.n < target) {
        spinUntil(deadline, c.n, target);
      }
    }
    d.delivered += BATCH;
  }

  // events of this subscription that left the queue: handed to the listener or discarded
  private static long accounted(Registration r) {
    return r.delivered() + r.dropped();
  }

  private static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
  }

  // bounded, so that events that never arrive fail the run instead of hanging it: on JDK 17.0.15
  // SubmissionPublisher has left the last event of a batch undelivered here (the benchmark then
  // reports "99999999 of 100000000"), which looks like a lost wake-up of its consumer task
  private static void spinUntil(long deadline, long n, long target) {
    Thread.onSpinWait();
    if (System.nanoTime() - deadline > 0) {
      throw new IllegalStateException("events not delivered within 10 s: " + n + " of " + target);
    }
  }
}
