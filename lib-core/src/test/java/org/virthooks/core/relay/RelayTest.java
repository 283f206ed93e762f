package org.virthooks.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/** The relay end to end: the installed Perl client, real Unix sockets, a real server. */
class RelayTest {
  @TempDir
  Path dir;

  private RelayServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Echoes what it received, so the client side can check every field crossed intact. */
  private static ScriptResult echo(ScriptInvocation call) {
    String out = "argv=" + call.argv().subList(1, call.argv().size()) + "\n"
        + "script=" + Path.of(call.argv().get(0)).getFileName() + "\n"
        + "env=" + call.env() + "\n"
        + "stdin=" + new String(call.stdin(), StandardCharsets.UTF_8);
    int code = call.argv().contains("refuse") ? 3 : 0;
    return new ScriptResult(code, out, code == 0 ? "" : "guest is not allowed to start\n", false);
  }

  private Path installClient(UnreachablePolicy policy, Duration timeout) throws IOException {
    Path script = dir.resolve("hooks/qemu.d/50-virthooks");
    ScriptInstaller.install(script, RelayClientScript.render(dir.resolve("relay.sock"), policy,
        timeout, List.of("XENBUS_PATH", "LC_ALL")));
    return script;
  }

  private static ScriptResult exec(Path script, Map<String, String> env, String stdin,
      String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("client finished").isTrue();
    return new ScriptResult(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), false);
  }

  @Test
  void thePerlClientRelaysArgvEnvironmentAndStdinAndTheAnswerComesBack() throws Exception {
    server = RelayServer.builder(dir.resolve("relay.sock"), RelayTest::echo).start();
    Path client = installClient(UnreachablePolicy.REFUSE, Duration.ofSeconds(10));
    String xml = "<domain type='kvm'><name>web1</name><!-- é ✓ --></domain>";
    ScriptResult r = exec(client, Map.of("XENBUS_PATH", "backend/vbd/3/51712", "SECRET", "no"),
        xml, "web1", "start", "begin", "-");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("argv=[web1, start, begin, -]")
        .contains("script=50-virthooks")
        .contains("env={XENBUS_PATH=backend/vbd/3/51712}")
        .contains("stdin=" + xml);
    assertThat(server.served()).isEqualTo(1);
  }

  @Test
  void aRefusalKeepsItsExitCodeAndStderr() throws Exception {
    server = RelayServer.builder(dir.resolve("relay.sock"), RelayTest::echo).start();
    ScriptResult r = exec(installClient(UnreachablePolicy.PROCEED, Duration.ofSeconds(10)),
        Map.of(), "", "web1", "refuse");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stderr()).isEqualTo("guest is not allowed to start\n");
  }

  @Test
  void anUnreachableServerFollowsThePolicy() throws Exception {
    ScriptResult go = exec(installClient(UnreachablePolicy.PROCEED, Duration.ofSeconds(5)),
        Map.of(), "", "web1", "start", "begin", "-");
    assertThat(go.exitCode()).isZero();
    assertThat(go.stderr()).contains("warning").contains("cannot reach the relay");
    ScriptResult no = exec(installClient(UnreachablePolicy.REFUSE, Duration.ofSeconds(5)),
        Map.of(), "", "web1", "start", "begin", "-");
    assertThat(no.exitCode()).isEqualTo(1);
    assertThat(no.stderr()).contains("refusing");
  }

  @Test
  void aServerThatDoesNotAnswerInTimeFollowsThePolicy() throws Exception {
    server = RelayServer.builder(dir.resolve("relay.sock"), call -> {
      Thread.sleep(30_000);
      return ScriptResult.ok("");
    }).start();
    long t0 = System.nanoTime();
    ScriptResult r = exec(installClient(UnreachablePolicy.REFUSE, Duration.ofSeconds(1)),
        Map.of(), "", "x");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("did not answer within 1 s");
  }

  @Test
  void theJavaClientRoundTripsAndAppliesThePolicy() throws Exception {
    Path sock = dir.resolve("relay.sock");
    RelayClient refuse = new RelayClient(sock, Duration.ofSeconds(2), UnreachablePolicy.REFUSE);
    assertThat(refuse.call(new ScriptInvocation(List.of("x"), null, null)).exitCode()).isEqualTo(1);
    server = RelayServer.builder(sock, RelayTest::echo).start();
    ScriptResult r = refuse.call(new ScriptInvocation(List.of("/h/block", "add"),
        Map.of("XENBUS_PATH", "backend/vbd/1/2"), "in".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("argv=[add]").contains("stdin=in");
  }

  @Test
  void theSocketIsPrivateAndOnlyAllowedUsersAreAnswered() throws Exception {
    Path sock = dir.resolve("run/relay.sock");
    server = RelayServer.builder(sock, RelayTest::echo).allowUsers(Set.of("somebody-else")).start();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())))
        .isEqualTo("rwx------");
    ScriptResult r = new RelayClient(sock, Duration.ofSeconds(5), UnreachablePolicy.REFUSE)
        .call(new ScriptInvocation(List.of("x"), null, null));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(server.rejected()).isEqualTo(1);
    assertThat(server.served()).isZero();
  }

  @Test
  void garbageAndTruncatedRequestsAreDroppedWithoutHarmingOthers() throws Exception {
    Path sock = dir.resolve("relay.sock");
    server = RelayServer.builder(sock, RelayTest::echo).readTimeout(Duration.ofMillis(300)).start();
    try (SocketChannel bad = SocketChannel.open(StandardProtocolFamily.UNIX);
        SocketChannel huge = SocketChannel.open(StandardProtocolFamily.UNIX);
        SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      bad.connect(UnixDomainSocketAddress.of(sock));
      bad.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      huge.connect(UnixDomainSocketAddress.of(sock));
      huge.write(ByteBuffer.wrap(new byte[] {'V', 'H', 'R', '1', 0x7f, 0, 0, 0}));
      slow.connect(UnixDomainSocketAddress.of(sock));
      slow.write(ByteBuffer.wrap(new byte[] {'V', 'H', 'R', '1', 0, 0, 0, 1, 0, 0}));
      ScriptResult ok = new RelayClient(sock, Duration.ofSeconds(5), UnreachablePolicy.REFUSE)
          .call(new ScriptInvocation(List.of("x", "fine"), null, null));
      assertThat(ok.exitCode()).isZero();
      assertThat(ok.stdout()).contains("argv=[fine]");
      // all three bad peers are cut: reads end at EOF (after the read timeout for the slow one)
      for (SocketChannel c : List.of(bad, huge, slow)) {
        assertThat(readToEof(c)).isEqualTo(-1);
      }
    }
    assertThat(server.rejected()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
    Path notASocket = dir.resolve("qemu");
    Files.writeString(notASocket, "#!/bin/sh\n");
    assertThatThrownBy(() -> RelayServer.builder(notASocket, RelayTest::echo).start())
        .hasMessageContaining("not a socket");
    assertThat(Files.readString(notASocket)).isEqualTo("#!/bin/sh\n");
  }

  @Test
  void aStaleSocketIsReplacedButALiveServerIsNot() throws Exception {
    Path sock = dir.resolve("relay.sock");
    RelayServer first = RelayServer.builder(sock, RelayTest::echo).start();
    assertThatThrownBy(() -> RelayServer.builder(sock, RelayTest::echo).start())
        .hasMessageContaining("another relay server");
    first.close();
    assertThat(sock).doesNotExist();
    // leave a stale socket file behind, as a killed JVM would
    try (var ch = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(sock));
    }
    assertThat(sock).exists();
    server = RelayServer.builder(sock, RelayTest::echo).start();
    assertThat(server.socket()).isEqualTo(sock);
  }

  @Test
  void closingStopsEveryRelayThread() throws Exception {
    RelayServer s = RelayServer.builder(dir.resolve("relay.sock"), RelayTest::echo).start();
    new RelayClient(dir.resolve("relay.sock"), Duration.ofSeconds(5), UnreachablePolicy.REFUSE)
        .call(new ScriptInvocation(List.of("x"), null, null));
    s.close();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long live;
    do {
      live = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("virthooks-relay") && t.isAlive()).count();
      Thread.sleep(10);
    } while (live > 0 && System.nanoTime() < end);
    assertThat(live).isZero();
  }

  @Test
  void theClientCarriesTheMarkerAndForwardsOnlyVariableNames() throws Exception {
    Path ours = installClient(UnreachablePolicy.PROCEED, Duration.ofSeconds(1));
    assertThat(ScriptInstaller.isOurs(ours)).isTrue();
    installClient(UnreachablePolicy.REFUSE, Duration.ofSeconds(1)); // ours: replaced
    assertThat(Files.readString(ours)).contains("my $policy = 'refuse';");
    assertThatThrownBy(() -> RelayClientScript.render(dir, UnreachablePolicy.PROCEED,
        Duration.ofSeconds(1), List.of("BAD NAME"))).hasMessageContaining("'BAD NAME'");
  }

  // the server closed the connection: either an orderly EOF or a reset (unread data) proves it
  private static int readToEof(SocketChannel c) {
    ByteBuffer b = ByteBuffer.allocate(64);
    try {
      int n;
      while ((n = c.read(b)) > 0) {
        b.clear();
      }
      return n;
    } catch (IOException reset) {
      return -1;
    }
  }
}
