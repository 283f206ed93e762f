package org.virthooks.benchmarks.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.relay.RelayClientScript;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptResult;

/**
 * Times whole hook executions as a daemon sees them (fork, exec, stdin, wait): a {@code sh} no-op
 * hook against the installed relay client answering from a running JVM. Prints median and p95.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.relay.RelayLatencyHarness [calls]}.
 */
public final class RelayLatencyHarness {
  private RelayLatencyHarness() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("virthooks-relay-bench");
    Path noop = dir.resolve("noop.sh");
    Files.writeString(noop, "#!/bin/sh\ncat >/dev/null\nexit 0\n");
    Files.setPosixFilePermissions(noop, PosixFilePermissions.fromString("rwx------"));
    Path sock = dir.resolve("relay.sock");
    Path client = dir.resolve("qemu.d/50-virthooks");
    ScriptInstaller.install(client, RelayClientScript.render(sock, UnreachablePolicy.REFUSE,
        Duration.ofSeconds(10), List.of()));
    String xml = "<domain type='qemu'><name>bench</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0"
        + "</uuid><memory unit='KiB'>65536</memory></domain>";
    try (RelayServer server = RelayServer.builder(sock, call -> ScriptResult.ok("")).start()) {
      long[] sh = time(noop, xml, calls);
      long[] relay = time(client, xml, calls);
      System.out.printf(Locale.ROOT, "%-34s %10s %10s%n", "hook (whole exec, " + calls + " calls)",
          "median", "p95");
      print("sh no-op script", sh);
      print("virthooks relay (perl client)", relay);
      if (server.served() != calls + 5) {
        throw new IllegalStateException("relay served " + server.served() + " calls");
      }
    }
  }

  private static long[] time(Path script, String stdin, int calls) throws Exception {
    byte[] in = stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long[] t = new long[calls];
    for (int i = -5; i < calls; i++) { // 5 warm-up calls
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(script.toString(), "bench", "start", "begin", "-")
          .redirectErrorStream(true).start();
      try (var o = p.getOutputStream()) {
        o.write(in);
      }
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(script + " failed");
      }
      if (i >= 0) {
        t[i] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(t);
    return t;
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(Locale.ROOT, "%-34s %8.2f ms %8.2f ms%n", what,
        sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.95)] / 1e6);
  }
}
