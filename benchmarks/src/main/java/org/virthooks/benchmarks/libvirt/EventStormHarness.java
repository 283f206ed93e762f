package org.virthooks.benchmarks.libvirt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 * An event storm on {@code test:///default}: N lifecycle events (suspend / resume of one guest,
 * as fast as the API takes them) delivered to a raw libvirt-java {@link LifecycleListener} and
 * to a typed virthooks listener (LibvirtEventSource, LIFECYCLE only, → EventDispatcher,
 * synchronous subscription), in alternating storms of one run. The rate is events delivered per
 * second from the first call to the last delivery; every storm must deliver exactly N. Prints
 * each storm and the typed / raw ratio of the medians (target ≥ 0.9).
 *
 * <p>Two raw sides: the bare listener only counts (libvirt-java still wraps the pointer in a
 * {@code Domain}, taking a reference, and a {@code DomainEvent}); the identity listener also
 * reads the domain's name and UUID, as every typed event carries them (the typed side also reads
 * the ID, stamps a time and a sequence number, and records the state for reconciliation).
 *
 * <p>Between storms the harness collects garbage and runs finalizers, untimed: libvirt-java's
 * {@code Domain} frees its reference in {@code finalize()}, so 100,000 of a raw storm's domains
 * were otherwise freed on the finalizer thread during the next storm, the typed one, and counted
 * against it. The main thread waits for the last delivery parked, not spinning, so that it does
 * not take one of the machine's two cores from the event loop.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.libvirt.EventStormHarness [events] [storms-per-side]}.
 */
public final class EventStormHarness {
  private static final String URI = "test:///default";

  private EventStormHarness() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int storms = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    LibvirtEventLoop.ensureRunning();
    Connect ops = new Connect(URI);
    Domain dom = ops.domainDefineXML(TestDomains.testDriverGuest("vh-storm"));
    dom.create();
    AtomicLong seen = new AtomicLong();
    List<Double> raw = new ArrayList<>();
    List<Double> rawIdentity = new ArrayList<>();
    List<Double> typed = new ArrayList<>();
    try (EventDispatcher events = EventDispatcher.create()) {
      events.on(DomainEvent.class, e -> {
        if (e.domain().name().equals("vh-storm")) {
          seen.incrementAndGet();
        }
      });
      // a short warm-up of each side, then alternate: raw, typed, raw, typed...
      for (Side side : Side.values()) {
        storm(dom, seen, n / 20, side, events);
      }
      for (int i = 0; i < storms; i++) {
        raw.add(storm(dom, seen, n, Side.RAW, events));
        rawIdentity.add(storm(dom, seen, n, Side.RAW_IDENTITY, events));
        typed.add(storm(dom, seen, n, Side.TYPED, events));
      }
    } finally {
      dom.destroy();
      dom.undefine();
      ops.close();
    }
    System.out.printf(Locale.ROOT, "%d lifecycle events per storm on %s, %d storms each%n", n,
        URI, storms);
    System.out.printf(Locale.ROOT, "%-40s %s%n", "libvirt-java LifecycleListener", rates(raw));
    System.out.printf(Locale.ROOT, "%-40s %s%n", "libvirt-java, reading name and UUID",
        rates(rawIdentity));
    System.out.printf(Locale.ROOT, "%-40s %s%n", "virthooks typed listener (sync)", rates(typed));
    System.out.printf(Locale.ROOT, "%-40s %.2f (target >= 0.9)%n", "typed / raw (medians)",
        median(typed) / median(raw));
    System.out.printf(Locale.ROOT, "%-40s %.2f%n", "typed / raw reading name, UUID",
        median(typed) / median(rawIdentity));
  }

  /** Who listens in a storm. */
  enum Side { RAW, RAW_IDENTITY, TYPED }

  /** One storm of {@code n} events to one side; its rate in events per second. */
  static double storm(Domain dom, AtomicLong seen, int n, Side side,
      EventDispatcher events) throws Exception {
    settle();
    Connect rawConn = null;
    LifecycleListener rawListener = side == Side.RAW ? (d, e) -> {
      seen.incrementAndGet();
      return 0;
    } : (d, e) -> {
      try {
        if (d.getName().equals("vh-storm") && d.getUUID() != null) {
          seen.incrementAndGet();
        }
      } catch (org.libvirt.LibvirtException ex) {
        throw new IllegalStateException(ex);
      }
      return 0;
    };
    boolean useRaw = side != Side.TYPED;
    LibvirtEventSource source = null;
    if (useRaw) {
      rawConn = new Connect(URI);
      rawConn.addLifecycleListener(rawListener);
    } else {
      source = LibvirtEventSource.builder(URI, events).networkEvents(false)
          .domainEvents(EnumSet.of(DomainEventId.LIFECYCLE)).build().start();
      if (!source.awaitConnected(Duration.ofSeconds(10))) {
        throw new IllegalStateException("not connected: " + source.lastFailure());
      }
      // the resynchronisation lists vh-storm once: not part of the storm
      long end = System.nanoTime() + 5_000_000_000L;
      while (seen.get() == 0 && System.nanoTime() < end) {
        Thread.sleep(1);
      }
    }
    seen.set(0);
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if ((i & 1) == 0) {
          dom.suspend();
        } else {
          dom.resume();
        }
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (seen.get() < n && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      }
      long t = System.nanoTime() - t0;
      Thread.sleep(200); // anything beyond n would be a duplicate
      if (seen.get() != n) {
        throw new IllegalStateException(side + " listener got "
            + seen.get() + " of " + n + " events");
      }
      if ((n & 1) == 1) {
        dom.resume();
      }
      return n / (t / 1e9);
    } finally {
      if (rawConn != null) {
        rawConn.removeLifecycleListener(rawListener);
        rawConn.close();
      }
      if (source != null) {
        source.close();
      }
    }
  }

  /** Frees the previous storm's garbage, finalizers included, before the clock starts. */
  private static void settle() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      System.runFinalization();
    }
    Thread.sleep(100);
  }

  private static String rates(List<Double> r) {
    StringBuilder s = new StringBuilder();
    for (double x : r) {
      s.append(String.format(Locale.ROOT, "%9.0f/s", x));
    }
    return s.append(String.format(Locale.ROOT, "   median %9.0f/s", median(r))).toString();
  }

  private static double median(List<Double> r) {
    List<Double> s = new ArrayList<>(r);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
