package org.virthooks.core.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.internal.RelayWire;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * Fail closed through the installed Perl client and a real server: once connected, nothing that
 * goes wrong lets a call at a decision point through; no call is turned away for being busy; a
 * document over the limit is refused, never skipped. Calls are made as libvirt makes them:
 * {@code 50-virthooks GUEST prepare begin -}, the domain XML on stdin.
 */
class RelayFailClosedTest {
  private static final DecisionPoints LIBVIRT_DOMAIN =
      DecisionPoints.whereArgument(2, Set.of("prepare", "start", "migrate", "restore"));

  @TempDir
  Path dir;

  private RelayServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The policy under test: guests whose name starts with "bad" may not start. */
  private static ScriptResult policy(ScriptInvocation call) {
    String guest = call.argv().get(1);
    return guest.startsWith("bad")
        ? ScriptResult.failed(1, "policy: guest " + guest + " is quarantined\n")
        : ScriptResult.ok("");
  }

  private Path sock() {
    return dir.resolve("relay.sock");
  }

  private Path client(UnreachablePolicy policy, Duration timeout) throws IOException {
    Path script = dir.resolve("hooks/qemu.d/50-virthooks");
    ScriptInstaller.install(script, RelayClientScript.render(sock(), policy, timeout,
        List.of("LC_ALL"), LIBVIRT_DOMAIN));
    return script;
  }

  private static String domainXml(String name, int bytes) {
    String head = "<domain type='kvm'><name>" + name + "</name><description>";
    String tail = "</description><memory unit='KiB'>1024</memory></domain>";
    return head + "x".repeat(Math.max(0, bytes - head.length() - tail.length())) + tail;
  }

  /** Runs the installed client as libvirtd does: argv, the document written on stdin. */
  private static ScriptResult exec(Path script, byte[] stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    Thread feeder = new Thread(() -> {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // the client stopped reading: its exit status and stderr say why
      }
    });
    feeder.start();
    Future<byte[]> out = Executors.newSingleThreadExecutor().submit(
        () -> p.getInputStream().readAllBytes());
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("client finished").isTrue();
    feeder.join(10_000);
    return new ScriptResult(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8), false);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDocumentOver16MiBStillReachesThePolicy() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy).start();
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(30));
    ScriptResult r = exec(client, bytes(domainXml("bad-one", 20 << 20)),
        "bad-one", "prepare", "begin", "-");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("policy: guest bad-one is quarantined\n");
    ScriptResult ok = exec(client, bytes(domainXml("good-one", 20 << 20)),
        "good-one", "prepare", "begin", "-");
    assertThat(ok.exitCode()).isZero();
    assertThat(server.served()).isEqualTo(2);
  }

  @Test
  void aDocumentOverTheLimitIsRefusedAtADecisionPointAndGoesOnWithAWarningAfterwards()
      throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy).start();
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(30));
    byte[] huge = bytes(domainXml("good-one", DocumentLimit.MAX_BYTES + 1));
    ScriptResult r = exec(client, huge, "good-one", "prepare", "begin", "-");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("is " + huge.length + " bytes, over virthooks' limit of "
        + DocumentLimit.MAX_BYTES + " bytes").endsWith("; refusing\n");
    ScriptResult after = exec(client, huge, "good-one", "stopped", "end", "-");
    assertThat(after.exitCode()).isZero();
    assertThat(after.stderr()).contains("warning").contains("over virthooks' limit");
    assertThat(server.served()).isZero();
  }

  @Test
  void theServerReadsAnOversizedRequestToItsEndAndAnswersWithARefusal() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy).start();
    // a client that does not check the limit itself: the server must still answer it
    int size = DocumentLimit.MAX_BYTES + 4096;
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock()))) {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(head);
      d.write(RelayWire.REQUEST);
      d.writeInt(2);
      for (String a : List.of("/h/qemu.d/50-virthooks", "good-one")) {
        d.writeInt(a.length());
        d.write(bytes(a));
      }
      d.writeInt(0);
      d.writeInt(size);
      OutputStream out = Channels.newOutputStream(ch);
      out.write(head.toByteArray());
      byte[] chunk = new byte[1 << 20];
      for (int left = size; left > 0; left -= chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, left));
      }
      ch.shutdownOutput();
      ScriptResult r = RelayWire.readResponse(Channels.newInputStream(ch));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains(DocumentLimit.overLimit(size)).contains("refusing");
    }
  }

  @Test
  void aStormOf200ConcurrentCallsGetsAVerdictFromThePolicyForEveryCall() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    server = RelayServer.builder(sock(), call -> {
      handled.incrementAndGet();
      Thread.sleep(20); // a policy that takes its time, as an events script does
      return policy(call);
    }).maxConcurrent(8).start();
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(60));
    byte[] xml = bytes(domainXml("x", 4096));
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ScriptResult>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String guest = (i % 2 == 0 ? "bad-" : "good-") + i;
        calls.add(pool.submit(() -> {
          go.await();
          return exec(client, xml, guest, "prepare", "begin", "-");
        }));
      }
      go.countDown();
      for (int i = 0; i < 200; i++) {
        ScriptResult r = calls.get(i).get(120, TimeUnit.SECONDS);
        if (i % 2 == 0) {
          assertThat(r.exitCode()).as("call %d: %s", i, r.stderr()).isEqualTo(1);
          assertThat(r.stderr()).isEqualTo("policy: guest bad-" + i + " is quarantined\n");
        } else {
          assertThat(r.exitCode()).as("call %d: %s", i, r.stderr()).isZero();
          assertThat(r.stderr()).isEmpty();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(handled.get()).isEqualTo(200);
    assertThat(server.served()).isEqualTo(200);
  }

  @Test
  void seventyIdleConnectionsDoNotKeepARefusalFromArriving() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy).maxConcurrent(4)
        .readTimeout(Duration.ofSeconds(60)).start();
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(30));
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 70; i++) {
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock()));
        idle.add(c);
        if (i % 2 == 0) {
          c.write(ByteBuffer.wrap(RelayWire.REQUEST)); // a slow one: started, never finished
        }
      }
      long t0 = System.nanoTime();
      ScriptResult r = exec(client, bytes(domainXml("bad-one", 2048)),
          "bad-one", "prepare", "begin", "-");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).isEqualTo("policy: guest bad-one is quarantined\n");
      // held connections wait out their 60 s read timeout; the call did not
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      assertThat(server.openConnections()).isGreaterThanOrEqualTo(70);
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
  }

  @Test
  void silentConnectionsAreCutAtTheReadTimeout() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy)
        .readTimeout(Duration.ofMillis(300)).start();
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock()))) {
      long t0 = System.nanoTime();
      int n = c.read(ByteBuffer.allocate(16));
      assertThat(n).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
    assertThat(server.rejected()).isEqualTo(1);
  }

  @Test
  void theConnectionsOverTheCapWaitInTheBacklogAndAreAnswered() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy).maxConnections(2)
        .readTimeout(Duration.ofMillis(500)).start();
    List<SocketChannel> idle = new ArrayList<>();
    try {
      idle.add(SocketChannel.open(UnixDomainSocketAddress.of(sock())));
      idle.add(SocketChannel.open(UnixDomainSocketAddress.of(sock())));
      // the two idle ones hold both slots until their read timeout; then this one is read
      ScriptResult r = exec(client(UnreachablePolicy.PROCEED, Duration.ofSeconds(20)),
          bytes(domainXml("bad-one", 512)), "bad-one", "start", "begin", "-");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("quarantined");
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
  }

  @Test
  void requestsBeyondTheMemoryBudgetWaitToBeReadAndAreAllAnswered() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy)
        .maxBufferedBytes(DocumentLimit.MAX_BYTES).start();
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(60));
    byte[] xml = bytes(domainXml("bad-one", 20 << 20));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<ScriptResult>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(pool.submit(() -> exec(client, xml, "bad-one", "prepare", "begin", "-")));
      }
      for (Future<ScriptResult> f : calls) {
        ScriptResult r = f.get(120, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("quarantined");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.served()).isEqualTo(3);
  }

  /** A fake server: accepts one connection and does {@code what} with it. */
  private Thread fake(ServerSocketChannel listener, Consumer<SocketChannel> what) {
    Thread t = new Thread(() -> {
      try (SocketChannel c = listener.accept()) {
        what.accept(c);
      } catch (IOException e) {
        // the client's outcome is what the test checks
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void readRequest(SocketChannel c) {
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    try {
      while (c.read(b) >= 0) {
        b.clear();
      }
    } catch (IOException e) {
      // gone
    }
  }

  private ScriptResult againstFake(Consumer<SocketChannel> what, String op, Duration timeout)
      throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(sock()));
      Path client = client(UnreachablePolicy.PROCEED, timeout);
      Thread t = fake(listener, what);
      ScriptResult r = exec(client, bytes(domainXml("good-one", 1024)), "good-one", op,
          "begin", "-");
      t.interrupt();
      return r;
    } finally {
      java.nio.file.Files.deleteIfExists(sock());
    }
  }

  @Test
  void aServerThatDiesMidCallRefusesAtADecisionPointAndFollowsThePolicyAfterwards()
      throws Exception {
    ScriptResult r = againstFake(RelayFailClosedTest::readRequest, "prepare",
        Duration.ofSeconds(10));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo(
        "virthooks: the relay closed the connection without an answer; refusing\n");
    ScriptResult after = againstFake(RelayFailClosedTest::readRequest, "stopped",
        Duration.ofSeconds(10));
    assertThat(after.exitCode()).isZero();
    assertThat(after.stderr()).contains("warning: the relay closed the connection");
  }

  @Test
  void aResetBeforeTheRequestIsReadRefuses() throws Exception {
    // closing with the request unread makes the kernel reset the connection
    ScriptResult r = againstFake(c -> { }, "prepare", Duration.ofSeconds(10));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("virthooks: ").endsWith("; refusing\n")
        .containsAnyOf("Broken pipe", "Connection reset", "without an answer");
  }

  @Test
  void aTruncatedAnswerRefusesAtADecisionPoint() throws Exception {
    Consumer<SocketChannel> truncated = c -> {
      readRequest(c);
      try {
        // magic, exit 0, stdout length 100 but only 4 bytes of it, then gone
        c.write(ByteBuffer.wrap(new byte[] {'V', 'H', 'S', '1', 0, 0, 0, 0, 0, 0, 0, 100,
            'a', 'b', 'c', 'd'}));
      } catch (IOException e) {
        // the client's outcome is what the test checks
      }
    };
    ScriptResult r = againstFake(truncated, "prepare", Duration.ofSeconds(10));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("virthooks: the relay sent a truncated answer; refusing\n");
    assertThat(r.stdout()).isEmpty();
    ScriptResult garbage = againstFake(c -> {
      readRequest(c);
      try {
        c.write(ByteBuffer.wrap(bytes("HTTP/1.0 200 OK\r\n\r\n")));
      } catch (IOException e) {
        // as above
      }
    }, "migrate", Duration.ofSeconds(10));
    assertThat(garbage.exitCode()).isEqualTo(1);
    assertThat(garbage.stderr()).contains("malformed answer; refusing");
  }

  @Test
  void aSilentServerPastTheTimeoutRefusesAtADecisionPoint() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    long t0 = System.nanoTime();
    ScriptResult r = againstFake(c -> {
      readRequest(c);
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "start", Duration.ofSeconds(1));
    release.countDown();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("did not answer within 1 s; refusing");
  }

  @Test
  void onlyAnUnreachableRelayFollowsThePolicyAtADecisionPoint() throws Exception {
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(5));
    ScriptResult r = exec(client, bytes(domainXml("bad-one", 512)), "bad-one", "prepare",
        "begin", "-");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("warning: cannot reach the relay at " + sock());
  }

  @Test
  void theJavaClientFailsClosedTheSameWay() throws Exception {
    RelayClient java = new RelayClient(sock(), Duration.ofSeconds(5), UnreachablePolicy.PROCEED,
        LIBVIRT_DOMAIN);
    ScriptInvocation prepare = new ScriptInvocation(List.of("/h/qemu.d/x", "good-one", "prepare",
        "begin", "-"), Map.of(), bytes("<domain/>"));
    ScriptInvocation stopped = new ScriptInvocation(List.of("/h/qemu.d/x", "good-one", "stopped",
        "end", "-"), Map.of(), bytes("<domain/>"));
    assertThat(java.call(prepare).exitCode()).as("unreachable: the policy").isZero();
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(sock()));
      fake(listener, RelayFailClosedTest::readRequest);
      ScriptResult r = java.call(prepare);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("refusing");
      fake(listener, RelayFailClosedTest::readRequest);
      assertThat(java.call(stopped).exitCode()).as("after-point: the policy").isZero();
    }
    ScriptInvocation huge = new ScriptInvocation(prepare.argv(), Map.of(),
        new byte[DocumentLimit.MAX_BYTES + 1]);
    ScriptResult r = java.call(huge);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(DocumentLimit.overLimit(DocumentLimit.MAX_BYTES + 1));
  }

  private static byte[] header(List<String> argv, Map<String, String> env, int stdinLength)
      throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(head);
    d.write(RelayWire.REQUEST);
    d.writeInt(argv.size());
    for (String a : argv) {
      d.writeInt(bytes(a).length);
      d.write(bytes(a));
    }
    d.writeInt(env.size());
    for (Map.Entry<String, String> e : env.entrySet()) {
      d.writeInt(bytes(e.getKey()).length);
      d.write(bytes(e.getKey()));
      d.writeInt(bytes(e.getValue()).length);
      d.write(bytes(e.getValue()));
    }
    d.writeInt(stdinLength);
    return head.toByteArray();
  }

  @Test
  void anOversizedHeaderIsCutWithoutHarmingTheNextCall() throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy).start();
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      env.put("V" + i, "v".repeat(RelayWire.MAX_STRING - 16));
    }
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock()))) {
      ByteBuffer b = ByteBuffer.wrap(header(List.of("/h/x", "good"), env, 0));
      try {
        while (b.hasRemaining()) {
          ch.write(b);
        }
      } catch (IOException cut) {
        // the server stopped reading at the limit: that is the point
      }
      assertThat(ch.read(ByteBuffer.allocate(16))).as("cut without an answer").isEqualTo(-1);
    } catch (IOException reset) {
      // a reset is a cut too
    }
    ScriptResult r = exec(client(UnreachablePolicy.PROCEED, Duration.ofSeconds(10)),
        bytes(domainXml("bad-one", 512)), "bad-one", "prepare", "begin", "-");
    assertThat(r.stderr()).contains("quarantined");
    assertThat(server.rejected()).isEqualTo(1);
  }

  @Test
  void aPeerThatDeclaresALargeDocumentAndGoesSilentLosesItsMemoryAtTheReadTimeout()
      throws Exception {
    server = RelayServer.builder(sock(), RelayFailClosedTest::policy)
        .maxBufferedBytes(DocumentLimit.MAX_BYTES).readTimeout(Duration.ofMillis(700)).start();
    List<SocketChannel> hogs = new ArrayList<>();
    try {
      // the first takes the whole budget, seven more wait for memory; none sends its stdin
      for (int i = 0; i < 8; i++) {
        SocketChannel hog = SocketChannel.open(UnixDomainSocketAddress.of(sock()));
        hogs.add(hog);
        hog.write(ByteBuffer.wrap(header(List.of("/h/x", "hog" + i), Map.of(),
            DocumentLimit.MAX_BYTES)));
      }
      long t0 = System.nanoTime();
      ScriptResult r = exec(client(UnreachablePolicy.PROCEED, Duration.ofSeconds(20)),
          bytes(domainXml("bad-one", 1 << 20)), "bad-one", "prepare", "begin", "-");
      assertThat(r.stderr()).contains("quarantined");
      // served once the silent ones were all cut at their read timeout (0.7 s from accept),
      // not after eight timeouts one after the other
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(4000));
      for (SocketChannel c : hogs) {
        try {
          assertThat(c.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        } catch (IOException reset) {
          // cut
        }
      }
    } finally {
      for (SocketChannel c : hogs) {
        c.close();
      }
    }
  }

  @Test
  void closeAnswersTheCallsStillQueuedByClosingTheirConnections() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    server = RelayServer.builder(sock(), call -> {
      inHandler.countDown();
      Thread.sleep(60_000);
      return ScriptResult.ok("");
    }).maxConcurrent(1).start();
    Path client = client(UnreachablePolicy.PROCEED, Duration.ofSeconds(60));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<ScriptResult>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(pool.submit(() -> exec(client, bytes(domainXml("g", 512)), "g", "prepare",
            "begin", "-")));
      }
      assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (server.openConnections() < 3 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      long t0 = System.nanoTime();
      server.close();
      for (Future<ScriptResult> f : calls) {
        ScriptResult r = f.get(20, TimeUnit.SECONDS);
        // queued ones lose the connection; one still being read may see a broken pipe
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("virthooks: ").endsWith("; refusing\n");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAnswerOverTheLimitOrAHandlerThatThrowsAnErrorRefuses() throws Exception {
    server = RelayServer.builder(sock(), call -> {
      if (call.argv().get(1).equals("error")) {
        throw new StackOverflowError("deep");
      }
      return ScriptResult.ok("x".repeat(DocumentLimit.MAX_BYTES + 1));
    }).start();
    RelayClient java = new RelayClient(sock(), Duration.ofSeconds(30), UnreachablePolicy.PROCEED,
        LIBVIRT_DOMAIN);
    ScriptResult big = java.call(new ScriptInvocation(List.of("/h/qemu.d/x", "g", "migrate",
        "begin", "-"), Map.of(), bytes("<domain/>")));
    assertThat(big.exitCode()).isEqualTo(1);
    assertThat(big.stdout()).isEmpty();
    assertThat(big.stderr()).contains("output is over");
    ScriptResult error = java.call(new ScriptInvocation(List.of("/h/qemu.d/x", "error",
        "prepare", "begin", "-"), Map.of(), bytes("<domain/>")));
    assertThat(error.exitCode()).isEqualTo(1);
    assertThat(error.stderr()).contains("the handler failed").contains("deep");
  }

  @Test
  void theJavaClientKeepsExitStatusesInTheShellsRange() throws Exception {
    server = RelayServer.builder(sock(), call -> new ScriptResult(256, "", "odd\n", false))
        .start();
    ScriptResult r = new RelayClient(sock(), Duration.ofSeconds(10), UnreachablePolicy.PROCEED)
        .call(new ScriptInvocation(List.of("/h/x"), Map.of(), new byte[0]));
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
