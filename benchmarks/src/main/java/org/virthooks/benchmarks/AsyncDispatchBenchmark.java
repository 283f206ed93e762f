package org.virthooks.benchmarks;

import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
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
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.TestEvents;

/**
 * Asynchronous delivery to N subscribers: virthooks' bounded per-subscription queues (blocking
 * policy, nothing dropped) against {@code java.util.concurrent.SubmissionPublisher} with the same
 * buffer size and the same number of delivery threads. One operation is one event delivered to
 * every subscriber; each invocation publishes {@link #BATCH} events and waits until all arrived.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AsyncDispatchBenchmark {
  static final int BATCH = 100_000;
  static final int BUFFER = 8192;

  @Param({"1", "4"})
  public int listeners;

  private EventDispatcher dispatcher;
  private SubmissionPublisher<VirtEvent> publisher;
  private ForkJoinPool publisherPool;
  private DomainEvent event;
  private Count[] ours;
  private Count[] theirs;

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

  /** Sets up both with the same subscribers, buffers and threads. */
  @Setup(Level.Trial)
  public void setUp() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    event = new TestEvents().domain("bench", DomainEvent.Kind.STARTED);
    dispatcher = EventDispatcher.builder().deliveryThreads(threads).build();
    publisherPool = new ForkJoinPool(threads);
    publisher = new SubmissionPublisher<>(publisherPool, BUFFER);
    ours = new Count[listeners];
    theirs = new Count[listeners];
    for (int i = 0; i < listeners; i++) {
      Count c = new Count();
      ours[i] = c;
      dispatcher.subscribe(VirtEvent.class).async(BUFFER, OverflowPolicy.BLOCK).register(e -> c.add());
      theirs[i] = new Count();
      publisher.subscribe(theirs[i]);
    }
  }

  /** Stops both. */
  @TearDown(Level.Trial)
  public void tearDown() {
    dispatcher.close();
    publisher.close();
    publisherPool.shutdownNow();
  }

  /** virthooks: publish a batch, wait for every subscriber to have it. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void virthooks() {
    long target = ours[0].n + BATCH;
    for (int i = 0; i < BATCH; i++) {
      dispatcher.publish(event);
    }
    awaitAll(ours, target);
  }

  /** SubmissionPublisher: submit a batch, wait for every subscriber to have it. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void submissionPublisher() {
    long target = theirs[0].n + BATCH;
    for (int i = 0; i < BATCH; i++) {
      publisher.submit(event);
    }
    awaitAll(theirs, target);
  }

  // bounded, so that events that never arrive fail the run instead of hanging it: on JDK 17.0.15
  // SubmissionPublisher has left the last event of a batch undelivered here (the benchmark then
  // reports "99999999 of 100000000"), which looks like a lost wake-up of its consumer task
  private static void awaitAll(Count[] counts, long target) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Count c : counts) {
      while (c.n < target) {
        Thread.onSpinWait();
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("events not delivered within 10 s: " + c.n + " of " + target);
        }
      }
    }
  }
}
