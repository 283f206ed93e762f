package org.virthooks.benchmarks;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.EventBus;
import com.google.common.eventbus.Subscribe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.EventListener;
import org.virthooks.core.testing.TestEvents;

/**
 * Synchronous dispatch of one event to N listeners: virthooks' typed dispatcher against Guava's
 * {@code EventBus} (given {@code @AllowConcurrentEvents}, its fastest setting). Each listener
 * does the same trivial work, counting, so the difference is the dispatch itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SyncDispatchBenchmark {
  @Param({"1", "4", "16"})
  public int listeners;

  private EventDispatcher dispatcher;
  private EventBus bus;
  private DomainEvent event;
  private Counter[] counters;

  /** A listener for both: Guava finds {@link #on} by its annotation. */
  public static final class Counter implements EventListener<DomainEvent> {
    long count;

    @Override
    public void onEvent(DomainEvent e) {
      count++;
    }

    /** Guava's entry. */
    @Subscribe
    @AllowConcurrentEvents
    public void on(DomainEvent e) {
      count++;
    }
  }

  /** Registers the listeners on both. */
  @Setup(Level.Trial)
  public void setUp() {
    event = new TestEvents().domain("bench", DomainEvent.Kind.STARTED);
    dispatcher = EventDispatcher.create();
    bus = new EventBus("bench");
    counters = new Counter[listeners];
    for (int i = 0; i < listeners; i++) {
      counters[i] = new Counter();
      dispatcher.on(DomainEvent.class, counters[i]);
      bus.register(counters[i]);
    }
  }

  /** Closes the dispatcher. */
  @TearDown(Level.Trial)
  public void tearDown() {
    dispatcher.close();
  }

  /** virthooks: one publish. */
  @Benchmark
  public void virthooks() {
    dispatcher.publish(event);
  }

  /** Guava EventBus: one post. */
  @Benchmark
  public void guavaEventBus() {
    bus.post(event);
  }
}
