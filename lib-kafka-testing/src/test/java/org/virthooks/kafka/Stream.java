package org.virthooks.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.testing.TestEvents;

/**
 * A paced stream of domain events over a few domains with UUIDs, published to a sink from a
 * thread of its own, each publish timed.
 */
final class Stream implements AutoCloseable {
  private static final DomainEvent.Kind[] KINDS = {DomainEvent.Kind.STARTED,
      DomainEvent.Kind.SUSPENDED, DomainEvent.Kind.RESUMED, DomainEvent.Kind.STOPPED};

  private final KafkaEventSink sink;
  private final long total;
  private final long intervalNanos;
  private final TestEvents events = new TestEvents(SourceId.of("test", "stream"));
  private final List<DomainRef> domains = new ArrayList<>();
  private final long[] startNanos;
  private final long[] latencyNanos;
  private final Thread thread;
  private volatile long published;
  private volatile Throwable failure;
  private volatile boolean stop;

  /** {@code total} events at {@code perSecond}, over {@code domainCount} domains. */
  Stream(KafkaEventSink sink, int total, int perSecond, int domainCount) {
    this.sink = sink;
    this.total = total;
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    for (int i = 0; i < domainCount; i++) {
      domains.add(DomainRef.of("vm-" + i).withUuid(UUID.nameUUIDFromBytes(("vm-" + i).getBytes(
          java.nio.charset.StandardCharsets.UTF_8))));
    }
    this.startNanos = new long[total];
    this.latencyNanos = new long[total];
    this.thread = new Thread(this::run, "test-stream");
  }

  Stream start() {
    thread.start();
    return this;
  }

  private void run() {
    long next = System.nanoTime();
    try {
      for (int i = 0; i < total && !stop; i++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        next += intervalNanos;
        DomainRef d = domains.get(i % domains.size());
        VirtEvent e = DomainEvent.of(events.stamper().next("lifecycle"), d,
            KINDS[(i / domains.size()) % KINDS.length]);
        long t0 = System.nanoTime();
        sink.publish(e);
        long t1 = System.nanoTime();
        startNanos[i] = t0;
        latencyNanos[i] = t1 - t0;
        published = i + 1;
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  /** Events published so far. */
  long published() {
    return published;
  }

  /** Waits for the last publish; rethrows what the publishing thread failed with. */
  void join() throws InterruptedException {
    thread.join();
    if (failure != null) {
      throw new AssertionError("publishing failed", failure);
    }
  }

  /** The publish times (nanos) of the events started between {@code from} and {@code to}. */
  long[] latenciesBetween(long fromNanos, long toNanos) {
    long n = published;
    return java.util.stream.IntStream.range(0, (int) n)
        .filter(i -> startNanos[i] - fromNanos >= 0 && startNanos[i] - toNanos < 0)
        .mapToLong(i -> latencyNanos[i]).toArray();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join();
  }
}
