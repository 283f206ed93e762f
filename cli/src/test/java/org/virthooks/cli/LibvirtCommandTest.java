package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.relay.RelayClient;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import picocli.CommandLine;

/** {@code virthooks libvirt} and {@code virthooks relay}. */
@Timeout(60)
class LibvirtCommandTest {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = VirthooksCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // surefire talks to its forked JVM over stdin: a hook reading stdin would wait forever
    java.io.InputStream stdin = System.in;
    System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
    try {
      int status = cl.execute(args);
      return new Run(status, out.toString(), err.toString());
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void listenPrintsJsonLinesFromTheTestDriver() throws Exception {
    CommandLine cl = VirthooksCommand.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    AtomicInteger status = new AtomicInteger(-1);
    Thread t = new Thread(() -> status.set(cl.execute("libvirt", "listen", "--uri",
        "test:///default", "--events", "lifecycle", "--count", "1000", "--seconds", "6")));
    t.start();
    Connect c = null;
    try {
      long end = System.nanoTime() + 20_000_000_000L;
      // the listener is up once its first event is possible: retry the operations until seen
      c = new Connect("test:///default");
      Domain d = null;
      while (System.nanoTime() < end && !out.toString().contains("vh-cli")) {
        if (d != null) {
          d.undefine();
        }
        d = c.domainDefineXML("<domain type='test'><name>vh-cli</name><memory>65536</memory>"
            + "<os><type>hvm</type></os></domain>");
        Thread.sleep(200);
      }
      d.create();
      d.destroy();
      d.undefine();
      t.join(20_000);
    } finally {
      if (c != null) {
        c.close();
      }
      t.interrupt();
      t.join(5_000);
    }
    assertThat(status).hasValue(0);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"v\":1,\"category\":")
        .contains("\"source\":\"libvirt:test:///default\""));
    // the feed resynchronises when it connects: every guest with its state, then the marker
    int marker = 0;
    while (marker < lines.size() && !lines.get(marker).contains("\"kind\":\"resynchronised\"")) {
      assertThat(lines.get(marker)).contains("\"action\":\"RESYNC/");
      marker++;
    }
    assertThat(marker).as("resynchronised printed").isLessThan(lines.size());
    assertThat(String.join("\n", lines.subList(0, marker))).contains("\"name\":\"test\"");
    List<String> live = lines.subList(marker + 1, lines.size()).stream()
        .filter(l -> l.contains("\"name\":\"vh-cli\"")).toList();
    assertThat(String.join("\n", live)).contains("\"kind\":\"started\"")
        .contains("\"kind\":\"stopped\"").contains("\"kind\":\"undefined\"");
  }

  @Test
  void listenRejectsUnknownEventNames() {
    Run r = run("libvirt", "listen", "--uri", "test:///default", "--events", "teleport");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown domain event 'teleport'");
  }

  @Test
  void installIsIdempotentNeverOverwritesOthersAndUninstalls() throws Exception {
    Path hooks = Files.createDirectory(dir.resolve("hooks"));
    Run first = run("libvirt", "install", "--driver", "qemu", "--hooks-dir", hooks.toString(),
        "--socket", dir.resolve("r.sock").toString());
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).contains("send it SIGHUP");
    Path script = hooks.resolve("qemu.d/50-virthooks");
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(ScriptInstaller.isOurs(script)).isTrue();
    Run again = run("libvirt", "install", "--driver", "qemu", "--hooks-dir", hooks.toString(),
        "--socket", dir.resolve("r.sock").toString());
    assertThat(again.out()).contains("already installed");
    Run jvm = run("libvirt", "install", "--driver", "qemu", "--mode", "jvm", "--name", "60-jvm",
        "--hooks-dir", hooks.toString(), "--jar", "/opt/virthooks-cli.jar", "--deadline", "5");
    assertThat(jvm.status()).as(jvm.err()).isZero();
    assertThat(jvm.out()).contains("no SIGHUP needed");
    assertThat(Files.readString(hooks.resolve("qemu.d/60-jvm")))
        .contains("-jar /opt/virthooks-cli.jar libvirt hook --deadline 5 -- \"$0\" \"$@\"");
    Path foreign = hooks.resolve("qemu.d/70-admin");
    Files.writeString(foreign, "#!/bin/sh\nexit 0\n");
    Run clash = run("libvirt", "install", "--driver", "qemu", "--name", "70-admin",
        "--hooks-dir", hooks.toString());
    assertThat(clash.status()).isEqualTo(1);
    assertThat(clash.err()).contains("not written by virthooks");
    assertThat(Files.readString(foreign)).isEqualTo("#!/bin/sh\nexit 0\n");
    assertThat(run("libvirt", "uninstall", "--driver", "qemu", "--name", "70-admin",
        "--hooks-dir", hooks.toString()).status()).isEqualTo(1);
    Run un = run("libvirt", "uninstall", "--driver", "qemu", "--hooks-dir", hooks.toString());
    assertThat(un.status()).isZero();
    assertThat(script).doesNotExist();
    assertThat(run("libvirt", "install", "--driver", "nope", "--hooks-dir", hooks.toString())
        .status()).isEqualTo(2);
  }

  @Test
  void aDaemonBeforeSixFiveAlsoGetsTheTopLevelForwarder() throws Exception {
    Path hooks = Files.createDirectory(dir.resolve("hooks-old"));
    Run old = run("libvirt", "install", "--driver", "network", "--hooks-dir", hooks.toString(),
        "--socket", dir.resolve("r.sock").toString(), "--libvirt-version", "6.0.0");
    assertThat(old.status()).as(old.err()).isZero();
    assertThat(old.out()).contains("wrote " + hooks.resolve("network"));
    assertThat(ScriptInstaller.isOurs(hooks.resolve("network"))).isTrue();
    Run upgraded = run("libvirt", "install", "--driver", "network", "--hooks-dir",
        hooks.toString(), "--socket", dir.resolve("r.sock").toString(), "--libvirt-version",
        "9.0.0");
    assertThat(upgraded.out()).contains("removed our " + hooks.resolve("network"));
    assertThat(hooks.resolve("network")).doesNotExist();
    assertThat(run("libvirt", "install", "--driver", "network", "--hooks-dir", hooks.toString(),
        "--libvirt-version", "soon").status()).isEqualTo(2);
  }

  @Test
  void hookEntryPointAnswersLikeAHookScript() {
    Run r = run("libvirt", "hook", "--", "/etc/libvirt/hooks/daemon", "-", "reload", "begin",
        "SIGHUP");
    assertThat(r.status()).as(r.err()).isZero();
    Run usage = run("libvirt", "hook", "--", "/etc/libvirt/hooks/qemu");
    assertThat(usage.status()).isEqualTo(2);
  }

  @Test
  void relayServeAnswersWithTheEventsScriptUntilStopped() throws Exception {
    Path sock = dir.resolve("relay.sock");
    Path script = dir.resolve("events.sh");
    Files.writeString(script, "#!/bin/sh\ncat >/dev/null\n"
        + "if [ \"$3\" = start ] && [ \"$4\" = before ]; then echo \"no start for $2\" >&2; exit 3; fi\n"
        + "exit 0\n");
    script.toFile().setExecutable(true);
    RelayCommand.Serve serve = new RelayCommand.Serve();
    CommandLine cl = new CommandLine(serve);
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    AtomicInteger status = new AtomicInteger(-1);
    Thread t = new Thread(() -> status.set(cl.execute("--socket", sock.toString(),
        "--events-script", script.toString(), "--json")));
    t.start();
    try {
      long end = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(sock) && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      RelayClient client = new RelayClient(sock, Duration.ofSeconds(10), UnreachablePolicy.REFUSE);
      String xml = "<domain type='kvm'><name>vm1</name></domain>";
      ScriptResult refused = client.call(new ScriptInvocation(List.of(
          "/etc/libvirt/hooks/qemu.d/50-virthooks", "vm1", "start", "begin", "-"), Map.of(),
          xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr()).contains("no start for vm1");
      ScriptResult ok = client.call(new ScriptInvocation(List.of(
          "/etc/libvirt/hooks/qemu.d/50-virthooks", "vm1", "prepare", "begin", "-"), Map.of(),
          xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    } finally {
      serve.stop.countDown();
      t.join(10_000);
    }
    assertThat(status).hasValue(0);
    assertThat(out.toString()).contains("relay listening on").contains("\"kind\":\"starting\"")
        .contains("\"kind\":\"preparing\"");
  }
}
