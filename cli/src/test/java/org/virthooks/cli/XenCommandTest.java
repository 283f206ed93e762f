package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.xen.XenstoreClient;
import org.virthooks.xen.testing.XenstoreServer;
import picocli.CommandLine;

/** {@code virthooks xen}: the server subcommand, the hotplug entry point and the installer. */
@Timeout(60)
class XenCommandTest {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void xenstoreServerServesUntilInterrupted() throws Exception {
    Path sock = dir.resolve("xs.sock");
    AtomicInteger status = new AtomicInteger(-1);
    Thread t = new Thread(() -> status.set(VirthooksCommand.commandLine()
        .execute("xen", "xenstore-server", "--socket", sock.toString())));
    t.start();
    try {
      long end = System.nanoTime() + 10_000_000_000L;
      while (!Files.exists(sock) && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      try (XenstoreClient c = XenstoreClient.connect(sock)) {
        c.write("backend/vbd/1/768/state", "2");
        assertThat(c.read("/local/domain/0/backend/vbd/1/768/state")).isEqualTo("2");
      }
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(t.isAlive()).isFalse();
    assertThat(status).hasValue(0);
    assertThat(sock).doesNotExist();
  }

  @Test
  void xenstoreServerTakesItsConnectionLimitFromTheOptions() throws Exception {
    Path sock = dir.resolve("xs.sock");
    AtomicInteger status = new AtomicInteger(-1);
    StringWriter out = new StringWriter();
    CommandLine cl = VirthooksCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    Thread t = new Thread(() -> status.set(cl.execute("xen", "xenstore-server", "--socket",
        sock.toString(), "--max-connections", "1", "--evict-idle-after", "60")));
    t.start();
    try {
      // the socket file appears at bind, a moment before listen: wait for the announcement
      long end = System.nanoTime() + 10_000_000_000L;
      while (!out.toString().contains("xenstore listening") && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      try (XenstoreClient first = XenstoreClient.connect(sock)) {
        first.write("/a", "1");
        try (XenstoreClient second = XenstoreClient.connect(sock)) {
          // one slot, held by a connection active a moment ago: the second is closed
          assertThatThrownBy(() -> second.read("/a")).isInstanceOf(IOException.class);
        }
        assertThat(first.read("/a")).isEqualTo("1");
      }
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(status).hasValue(0);
  }

  @Test
  void xenstoreServerRefusesAZeroConnectionLimit() {
    Run r = run(VirthooksCommand.commandLine(), "xen", "xenstore-server", "--socket",
        dir.resolve("xs.sock").toString(), "--max-connections", "0");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--max-connections");
  }

  /** The command line with {@code xen hotplug} given libxl's environment for a vbd backend. */
  private static CommandLine libxlHotplug(String backend, Path xenstore) {
    CommandLine cl = VirthooksCommand.commandLine();
    XenCommand.Hotplug hp = cl.getSubcommands().get("xen").getSubcommands().get("hotplug")
        .getCommand();
    hp.env = Map.of("XENBUS_PATH", backend, "XENBUS_TYPE", "vbd", "XENBUS_BASE_PATH", "backend",
        "script", "/etc/xen/scripts/block-virthooks", "XENSTORED_PATH", xenstore.toString());
    return cl;
  }

  @Test
  void hotplugAnswersLibxlAndReportsFailures() throws Exception {
    try (XenstoreServer server = XenstoreServer.start(dir.resolve("xs.sock"))) {
      String be = "backend/vbd/2/51712";
      server.write(be + "/params", dir.resolve("absent.img").toString());
      server.write(be + "/mode", "w");
      CommandLine cl = libxlHotplug(be, server.socket());
      Run r = run(cl, "xen", "hotplug", "add");
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).contains("absent.img does not exist.");
      assertThat(server.read(be + "/hotplug-status")).contains("error");
    }
  }

  @Test
  void hotplugRunsTheEventsScriptAtXenPointsAndItsRefusalReachesLibxl() throws Exception {
    Path seen = dir.resolve("seen");
    Path events = dir.resolve("events");
    Files.writeString(events, "#!/bin/sh\necho \"$@\" >> " + seen + "\n"
        + "[ \"$3\" = prepare ] && { echo 'policy: guest 2 gets no disks' >&2; exit 1; }\n"
        + "exit 0\n");
    Files.setPosixFilePermissions(events, java.nio.file.attribute.PosixFilePermissions
        .fromString("rwx------"));
    try (XenstoreServer server = XenstoreServer.start(dir.resolve("xs.sock"))) {
      String be = "backend/vbd/2/51712";
      server.write(be + "/params", "/dev/null");
      server.write("/local/domain/2/name", "web2");
      CommandLine cl = libxlHotplug(be, server.socket());
      Run r = run(cl, "xen", "hotplug", "--events-script", events.toString(), "add");
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).contains("events script events: policy: guest 2 gets no disks");
      assertThat(server.read(be + "/hotplug-error")).hasValueSatisfying(e ->
          assertThat(e).contains("policy: guest 2 gets no disks"));
      assertThat(server.read(be + "/physical-device")).isEmpty();
      // refused at prepare: block.add was never reached
      assertThat(Files.readAllLines(seen)).containsExactly("block web2 prepare before -");
    }
  }

  @Test
  void hotplugOutsideTheToolstackIsAUsageError() {
    CommandLine cl = VirthooksCommand.commandLine();
    XenCommand.Hotplug hp = cl.getSubcommands().get("xen").getSubcommands().get("hotplug")
        .getCommand();
    hp.env = Map.of();
    Run r = run(cl, "xen", "hotplug", "add");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("neither HOTPLUG_PATH nor XENBUS_PATH");
  }

  private Run install(String... args) {
    List<String> a = new ArrayList<>(List.of("xen", "install", "--scripts-dir", dir.toString()));
    a.addAll(List.of(args));
    return run(VirthooksCommand.commandLine(), a.toArray(String[]::new));
  }

  private List<String> files() throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void installWritesAnExecutableLauncher() throws Exception {
    Path jar = dir.resolve("virthooks-cli.jar");
    Run r = install("--name", "block-virthooks", "--jar", jar.toString(), "--java",
        "/usr/bin/java");
    assertThat(r.status()).as(r.err()).isZero();
    Path script = dir.resolve("block-virthooks");
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(Files.readString(script)).startsWith("#!/bin/sh\n# Written by virthooks")
        .contains("exec /usr/bin/java -XX:TieredStopAtLevel=1")
        .contains("${VIRTHOOKS_JAVA_OPTS:-} -jar " + jar + " xen hotplug \"$@\"");

    Run again = install("--jar", jar.toString(), "--java", "/usr/bin/java");
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(again.out()).contains("already installed");

    // no switch replaces a script virthooks did not write
    Run force = install("--jar", jar.toString(), "--force");
    assertThat(force.status()).isEqualTo(2);
    assertThat(force.err()).contains("Unknown option: '--force'");

    Run bad = install("--name", "other", "--mode", "teleport");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown --mode 'teleport'");
    assertThat(files()).containsExactly("block-virthooks");
  }

  @Test
  void aJvmLauncherIsReplacedByARelayInstallAndBack() throws Exception {
    Run jvm = install("--jar", dir.resolve("virthooks-cli.jar").toString());
    assertThat(jvm.status()).as(jvm.err()).isZero();
    Run relay = install("--mode", "relay", "--socket", dir.resolve("x.sock").toString());
    assertThat(relay.status()).as(relay.err()).isZero();
    Path script = dir.resolve("block-virthooks");
    assertThat(Files.readString(script)).startsWith("#!/usr/bin/perl\n");
    Run back = install("--jar", dir.resolve("virthooks-cli.jar").toString());
    assertThat(back.status()).as(back.err()).isZero();
    assertThat(Files.readString(script)).startsWith("#!/bin/sh\n");
    assertThat(files()).containsExactly("block-virthooks");
  }

  @Test
  void aScriptVirthooksDidNotWriteIsNeverReplacedOrRemoved() throws Exception {
    Path admin = dir.resolve("block");
    Files.writeString(admin, "#!/bin/sh\n# the stock block script\n");
    Run relay = install("--name", "block", "--mode", "relay");
    assertThat(relay.status()).isEqualTo(1);
    assertThat(relay.err()).contains("was not written by virthooks");
    Run jvm = install("--name", "block", "--jar", dir.resolve("virthooks-cli.jar").toString());
    assertThat(jvm.status()).isEqualTo(1);
    assertThat(jvm.err()).contains("was not written by virthooks");
    Run un = run(VirthooksCommand.commandLine(), "xen", "uninstall", "--scripts-dir",
        dir.toString(), "--name", "block");
    assertThat(un.status()).isEqualTo(1);
    assertThat(un.err()).contains("not removing it");
    assertThat(Files.readString(admin)).isEqualTo("#!/bin/sh\n# the stock block script\n");
  }

  @Test
  void uninstallRemovesTheScriptItWrote() throws Exception {
    assertThat(install("--mode", "relay").status()).isZero();
    Run un = run(VirthooksCommand.commandLine(), "xen", "uninstall", "--scripts-dir",
        dir.toString());
    assertThat(un.status()).as(un.err()).isZero();
    assertThat(un.out()).contains("removed " + dir.resolve("block-virthooks"));
    assertThat(files()).isEmpty();
    Run again = run(VirthooksCommand.commandLine(), "xen", "uninstall", "--scripts-dir",
        dir.toString());
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains("is not installed");
  }

  @Test
  void relayInstallWritesTheRelayClientAndHotplugRelayAnswersIt() throws Exception {
    Path sock = dir.resolve("run/xen.sock");
    Run r = run(VirthooksCommand.commandLine(), "xen", "install", "--scripts-dir",
        dir.toString(), "--name", "block-relayed", "--mode", "relay", "--socket", sock.toString());
    assertThat(r.status()).as(r.err()).isZero();
    Path script = dir.resolve("block-relayed");
    assertThat(Files.readString(script)).startsWith("#!/usr/bin/perl\n")
        .contains("my $policy = 'refuse';").contains("my $timeout = 35;")
        .contains("'XENBUS_PATH'");

    AtomicInteger status = new AtomicInteger(-1);
    Thread t = new Thread(() -> status.set(VirthooksCommand.commandLine()
        .execute("xen", "hotplug-relay", "--socket", sock.toString())));
    t.start();
    try {
      long end = System.nanoTime() + 10_000_000_000L;
      while (!Files.exists(sock) && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      // a call without libxl's environment is answered by the relayed runner as a usage error
      Process p = new ProcessBuilder(script.toString(), "add").start();
      p.getOutputStream().close();
      assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(new String(p.getErrorStream().readAllBytes()))
          .contains("neither HOTPLUG_PATH nor XENBUS_PATH");
    } finally {
      t.interrupt();
      t.join(10_000);
    }
    assertThat(status).hasValue(0);
    assertThat(sock).doesNotExist();
  }
}
