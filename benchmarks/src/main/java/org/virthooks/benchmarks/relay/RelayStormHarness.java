package org.virthooks.benchmarks.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.libvirt.HookDriver;
import org.virthooks.libvirt.LibvirtHookInstaller;

/**
 * A boot storm against {@code virthooks relay serve} as an operator runs it (a child process with
 * an events script refusing guests named {@code bad*}): N concurrent calls of the installed relay
 * client at {@code prepare begin}, each timed as libvirtd sees it (fork, exec, stdin, wait), in
 * several rounds, optionally while idle connections are held open. Prints p50 / p99 / max, how
 * many verdicts were the policy's, and the server's peak RSS and threads (from /proc). Usage:
 * {@code benchmarks/run-relay-storm.sh [calls] [rounds] [idle]}.
 */
public final class RelayStormHarness {
  private RelayStormHarness() {}

  /** Runs and prints; args: the server command's jar, calls per storm, rounds, idle connections. */
  public static void main(String[] args) throws Exception {
    Path cliJar = Path.of(args[0]);
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int idle = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    Path dir = Files.createTempDirectory("virthooks-storm");
    Path sock = dir.resolve("relay.sock");
    Path events = dir.resolve("events");
    Files.writeString(events, "#!/bin/sh\ncat >/dev/null\n"
        + "case \"$2\" in bad*) echo \"policy: guest $2 is quarantined\" >&2; exit 1 ;; esac\n"
        + "exit 0\n");
    Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("rwx------"));
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", cliJar.toString(), "relay", "serve", "--socket", sock.toString(),
        "--events-script", events.toString(), "--events-set", "domain")
        .redirectErrorStream(true).start();
    try {
      awaitListening(server);
      Path hook = LibvirtHookInstaller.installRelay(dir.resolve("hooks"), HookDriver.QEMU,
          LibvirtHookInstaller.DEFAULT_NAME, sock, UnreachablePolicy.PROCEED,
          Duration.ofSeconds(30)).install().script();
      byte[] xml = ("<domain type='kvm'><name>guest</name><uuid>4dea22b3-1d52-d8f3-2516-"
          + "782e98ab3fa0</uuid><memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type>hvm"
          + "</type></os><devices><disk type='file' device='disk'><source file='/x'/><target "
          + "dev='vda' bus='virtio'/></disk></devices></domain>")
          .getBytes(StandardCharsets.UTF_8);
      List<SocketChannel> held = new ArrayList<>();
      for (int i = 0; i < idle; i++) {
        held.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
      }
      long[] all = new long[calls * rounds];
      int right = 0;
      int n = 0;
      long peakThreads = 0;
      ExecutorService pool = Executors.newFixedThreadPool(calls);
      try {
        for (int round = 0; round < rounds; round++) {
          CountDownLatch go = new CountDownLatch(1);
          List<Future<long[]>> fs = new ArrayList<>();
          for (int i = 0; i < calls; i++) {
            String guest = (i % 2 == 0 ? "bad-" : "good-") + i;
            int expected = i % 2 == 0 ? 1 : 0;
            fs.add(pool.submit(() -> {
              go.await();
              return callOnce(hook, guest, xml, expected);
            }));
          }
          go.countDown();
          for (Future<long[]> f : fs) {
            long[] r = f.get(300, TimeUnit.SECONDS);
            all[n++] = r[0];
            right += (int) r[1];
            peakThreads = Math.max(peakThreads, status(server.pid(), "Threads:"));
          }
        }
      } finally {
        pool.shutdownNow();
        for (SocketChannel c : held) {
          c.close();
        }
      }
      Arrays.sort(all);
      System.out.printf(Locale.ROOT, "storm: %d rounds of %d concurrent calls, %d idle "
          + "connections held, %d cores%n", rounds, calls, idle,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "  verdicts from the policy: %d of %d%n", right, all.length);
      System.out.printf(Locale.ROOT, "  whole call: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
          all[all.length - 1] / 1e6);
      System.out.printf(Locale.ROOT, "  server: peak RSS %d MiB (VmHWM), threads peak seen %d, "
          + "now %d%n", status(server.pid(), "VmHWM:") / 1024, peakThreads,
          status(server.pid(), "Threads:"));
      if (right != all.length) {
        throw new IllegalStateException((all.length - right) + " calls did not get the "
            + "policy's verdict");
      }
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  private static long[] callOnce(Path hook, String guest, byte[] xml, int expected)
      throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(hook.toString(), guest, "prepare", "begin", "-").start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(xml);
    }
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    p.getInputStream().readAllBytes();
    int code = p.waitFor();
    long took = System.nanoTime() - t0;
    boolean policy = code == expected
        && (expected == 0 ? err.isEmpty() : err.contains("policy: guest " + guest));
    if (!policy) {
      System.err.println("not the policy's verdict for " + guest + ": exit " + code + " " + err);
    }
    return new long[] {took, policy ? 1 : 0};
  }

  private static void awaitListening(Process server) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.contains("relay listening on")) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {
              // keep the pipe from filling
            }
          } catch (IOException e) {
            // the server is gone
          }
        });
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IOException("relay serve ended before it listened");
  }

  /** A field of /proc/PID/status in its own unit (kB for memory), 0 when unreadable. */
  private static long status(long pid, String field) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith(field)) {
          return Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
