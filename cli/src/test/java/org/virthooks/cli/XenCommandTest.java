package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Test
  void hotplugAnswersLibxlAndReportsFailures() throws Exception {
    try (XenstoreServer server = XenstoreServer.start(dir.resolve("xs.sock"))) {
      String be = "backend/vbd/2/51712";
      server.write(be + "/params", dir.resolve("absent.img").toString());
      server.write(be + "/mode", "w");
      CommandLine cl = VirthooksCommand.commandLine();
      XenCommand.Hotplug hp = cl.getSubcommands().get("xen").getSubcommands().get("hotplug")
          .getCommand();
      hp.env = Map.of("XENBUS_PATH", be, "XENBUS_TYPE", "vbd", "XENBUS_BASE_PATH", "backend",
          "script", "/etc/xen/scripts/block-virthooks",
          "XENSTORED_PATH", server.socket().toString());
      Run r = run(cl, "xen", "hotplug", "add");
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).contains("absent.img does not exist.");
      assertThat(server.read(be + "/hotplug-status")).contains("error");
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

  @Test
  void installWritesAnExecutableLauncher() throws Exception {
    Path jar = dir.resolve("virthooks-cli.jar");
    Run r = run(VirthooksCommand.commandLine(), "xen", "install", "--scripts-dir",
        dir.toString(), "--name", "block-virthooks", "--jar", jar.toString(), "--java",
        "/usr/bin/java");
    assertThat(r.status()).as(r.err()).isZero();
    Path script = dir.resolve("block-virthooks");
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(Files.readString(script)).startsWith("#!/bin/sh\n")
        .contains("exec '/usr/bin/java' -XX:TieredStopAtLevel=1")
        .contains("-jar '" + jar + "' xen hotplug \"$@\"");

    Run again = run(VirthooksCommand.commandLine(), "xen", "install", "--scripts-dir",
        dir.toString(), "--jar", jar.toString());
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains("exists; use --force");

    Run bad = run(VirthooksCommand.commandLine(), "xen", "install", "--scripts-dir",
        dir.toString(), "--name", "other", "--mode", "teleport");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown --mode 'teleport'");
  }

  @Test
  void relayInstallWritesTheRelayClientAndHotplugRelayAnswersIt() throws Exception {
    Path sock = dir.resolve("run/xen.sock");
    Run r = run(VirthooksCommand.commandLine(), "xen", "install", "--scripts-dir",
        dir.toString(), "--name", "block-relayed", "--mode", "relay", "--socket", sock.toString());
    assertThat(r.status()).as(r.err()).isZero();
    Path script = dir.resolve("block-relayed");
    assertThat(Files.readString(script)).startsWith("#!/usr/bin/perl\n")
        .contains("my $policy = 'refuse';").contains("'XENBUS_PATH'");
    // someone else's script of that name is never overwritten
    Files.writeString(dir.resolve("block"), "#!/bin/sh\n");
    Run foreign = run(VirthooksCommand.commandLine(), "xen", "install", "--scripts-dir",
        dir.toString(), "--name", "block", "--mode", "relay", "--socket", sock.toString());
    assertThat(foreign.status()).isNotZero();
    assertThat(Files.readString(dir.resolve("block"))).isEqualTo("#!/bin/sh\n");

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
