package org.virthooks.benchmarks.xen;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.xen.XenHotplugInstaller;
import org.virthooks.xen.XenHotplugRunner;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * Times a libxl-style block {@code add} end to end as libxl sees it (fork, exec, wait), against
 * the in-memory xenstore: through the launcher that runs a fresh JVM per call, and through the
 * relay client into a running JVM. Both use the stock block handler on an existing block device
 * (the {@code phy} case: the first of /dev/loop0, /dev/sda, /dev/vda), so the handler's own work is
 * the same and small.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.xen.XenAddLatencyHarness cli/target/virthooks-cli.jar [calls]}.
 */
public final class XenAddLatencyHarness {
  private static final String BE = "backend/vbd/5/51712";

  private XenAddLatencyHarness() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    Path cliJar = Path.of(args.length > 0 ? args[0] : "cli/target/virthooks-cli.jar");
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    if (!Files.isRegularFile(cliJar)) {
      throw new IllegalArgumentException("no CLI jar at " + cliJar + ": build it with "
          + "'mvn -q -DskipTests -pl cli -am install'");
    }
    Path dir = Files.createTempDirectory("virthooks-xen-bench");
    Path device = List.of("/dev/loop0", "/dev/sda", "/dev/vda").stream().map(Path::of)
        .filter(Files::exists).findFirst().orElseThrow();
    // the scripts 'virthooks xen install' writes, in both modes
    Path jvmLauncher = XenHotplugInstaller.installJvm(dir, "block-jvm", "java",
        List.of("-jar", cliJar.toAbsolutePath().toString(), "xen", "hotplug")).script();
    Path sock = dir.resolve("relay.sock");
    Path relayClient = XenHotplugInstaller.installRelay(dir, "block-relay", sock,
        UnreachablePolicy.REFUSE).script();
    try (XenstoreServer xs = XenstoreServer.start(dir.resolve("xs.sock"));
        XenHotplugRunner runner = XenHotplugRunner.builder()
            .blockHandler(new org.virthooks.xen.StockBlockHandler()).build();
        RelayServer relay = RelayServer.builder(sock, runner::run).start()) {
      String abs = xs.homePath() + "/" + BE;
      xs.write(abs + "/params", device.toString());
      xs.write(abs + "/mode", "w");
      xs.write(abs + "/frontend-id", "5");
      long[] jvm = time(jvmLauncher, xs, abs, calls);
      long[] relayed = time(relayClient, xs, abs, calls);
      System.out.printf(Locale.ROOT, "%-40s %10s %10s%n", "libxl-style block add (" + calls
          + " calls)", "median", "p95");
      print("fresh JVM per call (launcher)", jvm);
      print("relayed into a running JVM", relayed);
    }
  }

  private static long[] time(Path script, XenstoreServer xs, String abs, int calls)
      throws Exception {
    long[] t = new long[calls];
    for (int i = -2; i < calls; i++) {
      // an add whose physical-device exists does nothing: start each call afresh
      xs.rm(abs + "/physical-device");
      xs.rm(abs + "/physical-device-path");
      xs.rm(abs + "/hotplug-status");
      ProcessBuilder pb = new ProcessBuilder(script.toString(), "add")
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> env = pb.environment();
      env.put("script", script.toString());
      env.put("XENBUS_TYPE", "vbd");
      env.put("XENBUS_PATH", BE);
      env.put("XENBUS_BASE_PATH", "backend");
      env.put("XENSTORED_PATH", xs.socket().toString());
      long t0 = System.nanoTime();
      Process p = pb.start();
      byte[] err = p.getErrorStream().readAllBytes();
      if (p.waitFor() != 0 || !xs.read(abs + "/hotplug-status").orElse("").equals("connected")) {
        throw new IllegalStateException(script + " add failed: " + new String(err));
      }
      if (i >= 0) {
        t[i] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(t);
    return t;
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(Locale.ROOT, "%-40s %8.1f ms %8.1f ms%n", what,
        sorted[sorted.length / 2] / 1e6, sorted[Math.min(sorted.length - 1,
            (int) (sorted.length * 0.95))] / 1e6);
  }
}
