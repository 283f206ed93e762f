package org.virthooks.benchmarks.ldm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.virthooks.ldm.LdmEventSource;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/**
 * Events per second from the simulator over TLS through {@link LdmEventSource} to a sink:
 * framing, JAXB, translation and publication on the reader thread. Target: 10,000 events/s.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LdmEndToEndBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LdmEndToEndBenchmark {
  private static final int BATCH = 100;
  private static final int BATCHES = 10;

  private final AtomicLong received = new AtomicLong();
  private LdmdSimulator sim;
  private LdmEventSource source;
  private String batch;

  /** Starts the simulator and a registered source. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    sim = LdmdSimulator.start();
    source = LdmEventSource.builder(sim.clientConfig().build(), e -> {
      if (e instanceof org.virthooks.core.SourceEvent) {
        return; // the resynchronisation after connecting is not the batch
      }
      received.incrementAndGet();
      synchronized (received) {
        received.notifyAll();
      }
    })
        .build().start();
    if (!source.awaitConnected(Duration.ofSeconds(10))) {
      throw new IllegalStateException("the source did not connect");
    }
    // written once: the benchmark measures the client side (TLS read, framing, JAXB, translation)
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      b.append(LdmXml.defaults().write(
          SeedEvents.event(SeedEvents.ALL.get(i % SeedEvents.ALL.size()), "ldg" + i))).append('\n');
    }
    batch = b.toString();
  }

  /** Stops both. */
  @TearDown(Level.Trial)
  public void tearDown() {
    source.close();
    sim.close();
  }

  /** 1,000 events written in batches of 100 (pre-written bytes), waited for until all are published. */
  @Benchmark
  @OperationsPerInvocation(BATCH * BATCHES)
  public long thousandEvents() throws InterruptedException {
    long target = received.get() + (long) BATCH * BATCHES;
    for (int i = 0; i < BATCHES; i++) {
      sim.sendRaw(batch);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (received) {
      // waiting, not spinning: on a small machine a spinning benchmark thread starves the reader
      while (received.get() < target) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("events lost: " + received.get() + " < " + target);
        }
        received.wait(10);
      }
    }
    return received.get();
  }
}
