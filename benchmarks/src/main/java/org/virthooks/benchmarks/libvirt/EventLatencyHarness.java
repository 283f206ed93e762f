package org.virthooks.benchmarks.libvirt;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.event.LifecycleListener;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.libvirt.DomainEventId;
import org.virthooks.libvirt.LibvirtEventLoop;
import org.virthooks.libvirt.LibvirtEventSource;
import org.virthooks.libvirt.testing.TestDomains;

/**
 * Time from a libvirt API call (suspend / resume on {@code test:///default}) to a listener: a raw
 * libvirt-java {@link LifecycleListener} against a typed virthooks listener (LibvirtEventSource →
 * EventDispatcher, synchronous subscription), in alternating blocks of one run so that drift hits
 * both alike. Both run on the same event-loop thread ({@link LibvirtEventLoop}). Prints median
 * and p95 of each and the median difference (target: virthooks adds at most 50 µs).
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.libvirt.EventLatencyHarness [events-per-side]}.
 */
public final class EventLatencyHarness {
  private static final String URI = "test:///default";
  private static final int BLOCK = 100;

  private EventLatencyHarness() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    LibvirtEventLoop.ensureRunning();
    Connect ops = new Connect(URI);
    Domain dom = ops.domainDefineXML(TestDomains.testDriverGuest("vh-bench"));
    dom.create();
    AtomicLong seen = new AtomicLong();
    long[] raw = new long[n];
    long[] typed = new long[n];
    int ri = 0;
    int ti = 0;
    Connect rawConn = new Connect(URI);
    LifecycleListener rawListener = (d, e) -> {
      seen.set(System.nanoTime());
      return 0;
    };
    try (EventDispatcher events = EventDispatcher.create()) {
      events.on(DomainEvent.class, e -> seen.set(System.nanoTime()));
      boolean paused = false;
      // warm-up, then alternate blocks: raw listener only, virthooks source only
      for (int round = -2; ri < n || ti < n; round++) {
        boolean useRaw = (round & 1) == 0;
        LibvirtEventSource source = null;
        if (useRaw) {
          rawConn.addLifecycleListener(rawListener);
        } else {
          source = LibvirtEventSource.builder(URI, events).networkEvents(false)
              .domainEvents(java.util.EnumSet.of(DomainEventId.LIFECYCLE)).build().start();
          if (!source.awaitConnected(java.time.Duration.ofSeconds(10))) {
            throw new IllegalStateException("not connected: " + source.lastFailure());
          }
        }
        for (int i = 0; i < BLOCK; i++) {
          seen.set(0);
          long t0 = System.nanoTime();
          if (paused) {
            dom.resume();
          } else {
            dom.suspend();
          }
          paused = !paused;
          long deadline = t0 + 5_000_000_000L;
          long t;
          while ((t = seen.get()) == 0) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("no event within 5 s");
            }
            Thread.onSpinWait();
          }
          if (round >= 0) {
            if (useRaw && ri < n) {
              raw[ri++] = t - t0;
            } else if (!useRaw && ti < n) {
              typed[ti++] = t - t0;
            }
          }
        }
        if (useRaw) {
          rawConn.removeLifecycleListener(rawListener);
        } else {
          source.close();
        }
      }
    } finally {
      dom.destroy();
      dom.undefine();
      rawConn.close();
      ops.close();
    }
    Arrays.sort(raw);
    Arrays.sort(typed);
    System.out.printf(Locale.ROOT, "%-44s %10s %10s%n", "API call → listener on " + URI + " ("
        + n + " events each)", "median", "p95");
    print("libvirt-java LifecycleListener", raw);
    print("virthooks typed listener (sync)", typed);
    System.out.printf(Locale.ROOT, "%-44s %8.1f µs%n", "added by virthooks (median)",
        (typed[n / 2] - raw[n / 2]) / 1e3);
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(Locale.ROOT, "%-44s %8.1f µs %8.1f µs%n", what, sorted[sorted.length / 2] / 1e3,
        sorted[(int) (sorted.length * 0.95)] / 1e3);
  }
}
