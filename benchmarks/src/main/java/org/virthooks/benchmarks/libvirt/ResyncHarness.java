package org.virthooks.benchmarks.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.libvirt.LibvirtEventSource;
import org.virthooks.libvirt.internal.DomainStates;
import org.virthooks.libvirt.testing.Libvirtd;
import org.virthooks.libvirt.testing.NativeConnect;
import org.virthooks.libvirt.testing.TestDomains;

/**
 * Resynchronisation after a libvirtd restart with N defined guests (R of them running, the rest
 * shut off), against {@code virsh list --all} in the same run. Needs root and no libvirtd
 * running; run it under the shared lock: {@code flock /tmp/virthooks-libvirtd.lock java -cp
 * benchmarks/target/benchmarks.jar org.virthooks.benchmarks.libvirt.ResyncHarness [N] [R]}.
 *
 * <p>The guests are written as XML files into /etc/libvirt/qemu before libvirtd starts (it loads
 * them all at start-up; {@code virsh define} costs tens of seconds each here), and removed again
 * at the end, with the daemon stopped. It prints the daemon's start-up, the time from
 * {@code connection-restored} to {@code resynchronised} as the feed's listener sees them (and
 * whether any domain came twice), {@code virsh list --all}, and both listings the feed can use
 * (one {@code virConnectGetAllDomainStats} call; list + a state call per domain) on one
 * connection.
 */
public final class ResyncHarness {
  private static final Path CONFIGS = Path.of("/etc/libvirt/qemu");
  private static final String PREFIX = "vh-rs-";

  private ResyncHarness() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int running = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    removeConfigs();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "%s%04d", PREFIX, i);
      Files.writeString(CONFIGS.resolve(name + ".xml"),
          TestDomains.tinyQemuGuest(name, UUID.nameUUIDFromBytes(name.getBytes())));
    }
    Path logs = Files.createTempDirectory("virthooks-resync-bench");
    long t0 = System.nanoTime();
    Libvirtd daemon = Libvirtd.start(logs, Duration.ofMinutes(30));
    try {
      System.out.printf(Locale.ROOT, "libvirtd up with %d defined guests: %.1f s%n", n,
          secs(System.nanoTime() - t0));
      for (int i = 0; i < running; i++) {
        long s = System.nanoTime();
        virsh("start", String.format(Locale.ROOT, "%s%04d", PREFIX, i));
        System.out.printf(Locale.ROOT, "virsh start %s%04d: %.1f s%n", PREFIX, i,
            secs(System.nanoTime() - s));
      }
      measure(daemon, n, running);
    } finally {
      for (int i = 0; i < running; i++) {
        virsh("destroy", String.format(Locale.ROOT, "%s%04d", PREFIX, i));
      }
      daemon.close();
      Libvirtd.killGuests(PREFIX);
      removeConfigs();
    }
  }

  private static void measure(Libvirtd daemon, int n, int running) throws Exception {
    List<VirtEvent> got = new CopyOnWriteArrayList<>();
    List<Long> at = new CopyOnWriteArrayList<>();
    try (EventDispatcher events = EventDispatcher.create();
         LibvirtEventSource source = LibvirtEventSource.builder(Libvirtd.URI, events)
             .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build()) {
      events.on(VirtEvent.class, e -> {
        at.add(System.nanoTime());
        got.add(e);
      });
      source.start();
      if (!source.awaitConnected(Duration.ofMinutes(5))) {
        throw new IllegalStateException("not connected: " + source.lastFailure());
      }
      got.clear();
      at.clear();
      long r0 = System.nanoTime();
      daemon.stopDaemon(Duration.ofMinutes(2));
      daemon.startDaemon(Duration.ofMinutes(30));
      System.out.printf(Locale.ROOT, "libvirtd restart (stop, start, listening): %.1f s%n",
          secs(System.nanoTime() - r0));
      long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      int restored = -1;
      int done = -1;
      while (done < 0 && System.nanoTime() < end) {
        for (int i = Math.max(0, restored); i < got.size(); i++) {
          if (got.get(i) instanceof SourceEvent s) {
            if (s.kind() == SourceEvent.Kind.CONNECTION_RESTORED && restored < 0) {
              restored = i;
            } else if (s.kind() == SourceEvent.Kind.RESYNCHRONISED && restored >= 0) {
              done = i;
              break;
            }
          }
        }
        Thread.sleep(5);
      }
      if (done < 0) {
        throw new IllegalStateException("no resynchronisation after the restart");
      }
      Set<UUID> seen = new HashSet<>();
      int twice = 0;
      int listed = 0;
      for (VirtEvent e : got.subList(restored + 1, done)) {
        if (e instanceof DomainEvent d && "true".equals(e.meta().attributes().get("resync"))) {
          listed++;
          if (!seen.add(d.domain().uuid().orElseThrow())) {
            twice++;
          }
        }
      }
      double feed = (at.get(done) - at.get(restored)) / 1e6;
      System.out.printf(Locale.ROOT, "feed: connection-restored → resynchronised: %.1f ms, "
          + "%d domains listed, %d twice%n", feed, listed, twice);
      List<Double> virsh = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long s = System.nanoTime();
        String out = virsh("list", "--all");
        virsh.add((System.nanoTime() - s) / 1e6);
        if (i == 0 && out.lines().filter(l -> l.contains(PREFIX)).count() != n) {
          throw new IllegalStateException("virsh list --all did not list " + n + " guests");
        }
      }
      System.out.printf(Locale.ROOT, "virsh list --all: %s ms, median %.1f ms%n", virsh,
          median(virsh));
      System.out.printf(Locale.ROOT, "feed / virsh list --all: %.2f (target <= 2)%n",
          feed / median(virsh));
      listings(n, running);
    }
  }

  /** Both listings on one connection, alternating, five times each. */
  private static void listings(int n, int running) throws Exception {
    NativeConnect c = new NativeConnect(Libvirtd.URI);
    try {
      List<Double> one = new ArrayList<>();
      List<Double> each = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long s = System.nanoTime();
        List<DomainStates.Actual> a = DomainStates.current(c, c.pointer());
        one.add((System.nanoTime() - s) / 1e6);
        s = System.nanoTime();
        List<DomainStates.Actual> b = DomainStates.currentPerDomain(c, c.pointer());
        each.add((System.nanoTime() - s) / 1e6);
        if (a.size() < n || !new HashSet<>(a).equals(new HashSet<>(b))) {
          throw new IllegalStateException("the listings differ: " + a.size() + " / " + b.size());
        }
        if (a.stream().filter(x -> x.state() == 1).count() < running) {
          throw new IllegalStateException("fewer than " + running + " running");
        }
      }
      System.out.printf(Locale.ROOT, "virConnectGetAllDomainStats(state): %s ms, median %.1f ms%n",
          one, median(one));
      System.out.printf(Locale.ROOT, "listAllDomains + lookup + GetState each: %s ms, "
          + "median %.1f ms%n", each, median(each));
    } finally {
      c.close();
    }
  }

  private static String virsh(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("virsh", "-c", Libvirtd.URI));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static void removeConfigs() throws IOException {
    try (Stream<Path> s = Files.list(CONFIGS)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith(PREFIX)) {
          Files.delete(p);
        }
      }
    }
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static double median(List<Double> r) {
    List<Double> s = new ArrayList<>(r);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
