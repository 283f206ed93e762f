package org.virthooks.benchmarks.libvirt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.libvirt.HookDriver;
import org.virthooks.libvirt.LibvirtHookInstaller;
import org.virthooks.libvirt.LibvirtHookMain;
import org.virthooks.libvirt.LibvirtHookPoints;
import org.virthooks.libvirt.LibvirtHookRunner;
import org.virthooks.libvirt.testing.TestDomains;

/**
 * A whole libvirt hook-script call as libvirtd makes it (fork, exec, the domain XML on stdin,
 * wait), side by side in one run: a {@code sh} no-op hook; our hook in a fresh JVM (the launcher
 * {@code libvirt install --mode jvm} writes, with and without an application class-data sharing
 * archive); our hook through the relay (the installed Perl client into a {@link RelayServer}
 * answering with {@link LibvirtHookRunner}). Each virthooks variant parses the XML and runs one
 * hook at {@code before:domain.start}. Prints median and p95. Extends the sh/relay comparison of
 * {@code RelayLatencyHarness} with the real libvirt runner and the fresh JVM.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.libvirt.HookLatencyHarness [calls] [jvm-calls]}.
 */
public final class HookLatencyHarness {
  private HookLatencyHarness() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int jvmCalls = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path dir = Files.createTempDirectory("virthooks-hook-bench");
    Path hooks = dir.resolve("hooks");
    Path noop = dir.resolve("noop.sh");
    Files.writeString(noop, "#!/bin/sh\ncat >/dev/null\nexit 0\n");
    Files.setPosixFilePermissions(noop, PosixFilePermissions.fromString("rwx------"));
    String xml = TestDomains.tinyQemuGuest("bench", UUID.randomUUID());
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    List<String> fast = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xshare:auto");
    // the benchmarks jar has no provider: BenchHook registers the one hook through a property
    List<String> tail = List.of("-cp", cp, "-Dvirthooks.bench.hook=1",
        LibvirtHookMain.class.getName(), "--");
    List<String> plain = new ArrayList<>(fast);
    plain.addAll(tail);
    Path jvmScript = LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU, "60-jvm", plain)
        .install().script();
    Path jsa = dir.resolve("hook.jsa");
    List<String> dump = new ArrayList<>(fast);
    dump.add("-XX:ArchiveClassesAtExit=" + jsa);
    dump.addAll(tail);
    Path dumpScript = LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU, "61-dump", dump)
        .install().script();
    run(dumpScript, xml); // one call writes the archive
    List<String> cds = new ArrayList<>(fast);
    cds.add("-XX:SharedArchiveFile=" + jsa);
    cds.addAll(tail);
    Path cdsScript = LibvirtHookInstaller.installJvm(hooks, HookDriver.QEMU, "62-cds", cds)
        .install().script();
    Path sock = dir.resolve("relay.sock");
    Path relayScript = LibvirtHookInstaller.installRelay(hooks, HookDriver.QEMU, "50-relay", sock,
        UnreachablePolicy.REFUSE, Duration.ofSeconds(10)).install().script();
    try (HookRegistry registry = HookRegistry.create()) {
      registry.register(LibvirtHookPoints.DOMAIN_START, "bench", c -> Verdict.proceed());
      // as 'virthooks relay serve' does: the server's parsing is compiled before the first call
      LibvirtHookRunner runner = LibvirtHookRunner.of(registry).warmUp(3000);
      try (RelayServer server = RelayServer.builder(sock, runner).start()) {
        long[] sh = time(noop, xml, calls);
        long[] relay = time(relayScript, xml, calls);
        long[] jvm = time(jvmScript, xml, jvmCalls);
        long[] jvmCds = time(cdsScript, xml, jvmCalls);
        System.out.printf(Locale.ROOT, "%-40s %10s %10s%n", "hook call (whole exec, XML on stdin)",
            "median", "p95");
        print("sh no-op script (" + calls + " calls)", sh);
        print("virthooks relay, Perl client (" + calls + ")", relay);
        print("virthooks fresh JVM (" + jvmCalls + ")", jvm);
        print("virthooks fresh JVM + AppCDS (" + jvmCalls + ")", jvmCds);
        if (server.served() < calls) {
          throw new IllegalStateException("relay served only " + server.served() + " calls");
        }
      }
    }
  }

  private static void run(Path script, String stdin) throws Exception {
    Process p = new ProcessBuilder(script.toString(), "bench", "start", "begin", "-")
        .redirectErrorStream(true).start();
    try (var o = p.getOutputStream()) {
      o.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(script + " failed: " + out);
    }
  }

  private static long[] time(Path script, String stdin, int calls) throws Exception {
    long[] t = new long[calls];
    for (int i = -3; i < calls; i++) { // 3 warm-up calls
      long t0 = System.nanoTime();
      run(script, stdin);
      if (i >= 0) {
        t[i] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(t);
    return t;
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(Locale.ROOT, "%-40s %7.2f ms %7.2f ms%n", what,
        sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.95)] / 1e6);
  }
}
