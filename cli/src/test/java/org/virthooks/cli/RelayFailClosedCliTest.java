package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.hook.DocumentLimit;

/**
 * Issue 11's reproduction, as an operator runs it: {@code virthooks relay serve} (a child JVM, so
 * that it can be killed with SIGKILL) with an events script refusing guests named {@code bad*},
 * the client installed by {@code virthooks libvirt install --mode relay}, called as libvirtd
 * calls it. Every call at a decision point gets the policy's verdict or a refusal; none is let
 * through because our machinery failed.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayFailClosedCliTest {
  @TempDir
  static Path dir;

  private static Process server;
  private static Path sock;
  private static Path hook;
  private static Path log;

  @BeforeAll
  static void serve() throws Exception {
    sock = dir.resolve("run/relay.sock");
    log = dir.resolve("calls.log");
    Path events = dir.resolve("events");
    // seed 001's argv: events <kind> <name> <event> <qualifier> <extra>; JSON on stdin
    Files.writeString(events, "#!/bin/sh\n"
        + "echo \"$2 $3\" >> '" + log + "'\n"
        + "cat >/dev/null\n"
        + "case \"$2\" in\n"
        + "  slow-*) sleep 30 ;;\n"
        + "  bad*) echo \"policy: guest $2 is quarantined\" >&2; exit 1 ;;\n"
        + "esac\n"
        + "exit 0\n");
    Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("rwx------"));
    server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VirthooksCommand.class.getName(),
        "relay", "serve", "--socket", sock.toString(), "--events-script", events.toString(),
        "--events-set", "domain", "--events-timeout", "60", "--deadline", "60")
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.contains("relay listening on")) {
      // start-up chatter
    }
    assertThat(line).as("relay serve started").isNotNull();
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
    // a long client timeout: this is about verdicts, not latency, on a 2-core machine that may
    // be busy with more than this storm (latency is the storm harness's job)
    LibvirtCommandTest.Run install = LibvirtCommandTest.run("libvirt", "install", "--driver",
        "qemu", "--mode", "relay", "--socket", sock.toString(), "--hooks-dir",
        dir.resolve("hooks").toString(), "--timeout", "150");
    assertThat(install.status()).as(install.err()).isZero();
    hook = dir.resolve("hooks/qemu.d/50-virthooks");
    assertThat(hook).isExecutable();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // the events script the killed server had started is orphaned: stop it too
    String events = dir.resolve("events").toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(events)).orElse(false))
        .forEach(p -> {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
  }

  record Call(int status, String err) {}

  private static Call call(String guest, String op, byte[] xml) throws Exception {
    Process p = new ProcessBuilder(hook.toString(), guest, op, "begin", "-").start();
    Thread feeder = new Thread(() -> {
      try (OutputStream in = p.getOutputStream()) {
        in.write(xml);
      } catch (IOException e) {
        // the client's status says what happened
      }
    });
    feeder.start();
    byte[] err = p.getErrorStream().readAllBytes();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    feeder.join(10_000);
    return new Call(p.exitValue(), new String(err, StandardCharsets.UTF_8));
  }

  private static byte[] domain(String name, int bytes) {
    String head = "<domain type='qemu'><name>" + name + "</name><description>";
    String tail = "</description><memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
        + "<os><type>hvm</type></os></domain>";
    return (head + "d".repeat(Math.max(0, bytes - head.length() - tail.length())) + tail)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long logged(String guest) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    return Files.readAllLines(log).stream().filter(l -> l.startsWith(guest + " ")).count();
  }

  @Test
  @Order(1)
  void aSmallAndA20MiBDocumentAreBothRefusedByThePolicy() throws Exception {
    Call small = call("bad-one", "prepare", domain("bad-one", 2048));
    assertThat(small.status()).isEqualTo(1);
    assertThat(small.err()).contains("policy: guest bad-one is quarantined");
    Call big = call("bad-big", "prepare", domain("bad-big", 20 << 20));
    assertThat(big.status()).as(big.err()).isEqualTo(1);
    assertThat(big.err()).contains("policy: guest bad-big is quarantined")
        .doesNotContain("letting the operation go on");
    Call good = call("good-big", "prepare", domain("good-big", 20 << 20));
    assertThat(good.status()).as(good.err()).isZero();
  }

  @Test
  @Order(2)
  void aDocumentOverTheLimitIsRefusedWithTheLimitInTheMessage() throws Exception {
    Call huge = call("good-huge", "prepare", domain("good-huge", DocumentLimit.MAX_BYTES + 1024));
    assertThat(huge.status()).isEqualTo(1);
    assertThat(huge.err()).contains("over virthooks' limit of " + DocumentLimit.MAX_BYTES)
        .contains("refusing");
    assertThat(logged("good-huge")).as("never reached the policy").isZero();
  }

  @Test
  @Order(3)
  void aStormOf200CallsGetsAVerdictFromThePolicyForEach() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Call>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String guest = (i % 2 == 0 ? "bad-storm-" : "good-storm-") + i;
        calls.add(pool.submit(() -> {
          go.await();
          return call(guest, "prepare", domain(guest, 8192));
        }));
      }
      go.countDown();
      for (int i = 0; i < 200; i++) {
        Call c = calls.get(i).get(180, TimeUnit.SECONDS);
        if (i % 2 == 0) {
          assertThat(c.status()).as("call %d: %s", i, c.err()).isEqualTo(1);
          assertThat(c.err()).contains("policy: guest bad-storm-" + i + " is quarantined");
        } else {
          assertThat(c.status()).as("call %d: %s", i, c.err()).isZero();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    long ran = Files.readAllLines(log).stream().filter(l -> l.contains("-storm-")).count();
    assertThat(ran).as("the events script ran once per call").isEqualTo(200);
  }

  @Test
  @Order(4)
  void seventyIdleConnectionsDoNotKeepARefusalFromArriving() throws Exception {
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 70; i++) {
        idle.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
      }
      Call c = call("bad-while-idle", "start", domain("bad-while-idle", 2048));
      assertThat(c.status()).isEqualTo(1);
      assertThat(c.err()).contains("policy: guest bad-while-idle is quarantined");
    } finally {
      for (SocketChannel ch : idle) {
        ch.close();
      }
    }
  }

  @Test
  @Order(5)
  void aServerKilledMidCallRefusesAndAServerThatIsGoneFollowsThePolicy() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Call> pending = pool.submit(() -> call("slow-one", "prepare",
          domain("slow-one", 2048)));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (logged("slow-one") == 0 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(logged("slow-one")).as("the call reached the events script").isEqualTo(1);
      new ProcessBuilder("kill", "-9", Long.toString(server.pid())).start().waitFor();
      Call c = pending.get(60, TimeUnit.SECONDS);
      assertThat(c.status()).as(c.err()).isEqualTo(1);
      assertThat(c.err()).contains("refusing").doesNotContain("letting the operation go on");
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    // nobody listens on the stale socket any more: unreachable, the installed policy (proceed)
    Call gone = call("bad-after", "prepare", domain("bad-after", 2048));
    assertThat(gone.status()).isZero();
    assertThat(gone.err()).contains("warning: cannot reach the relay");
  }
}
