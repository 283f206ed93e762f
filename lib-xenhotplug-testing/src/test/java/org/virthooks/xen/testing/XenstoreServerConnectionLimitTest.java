package org.virthooks.xen.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.xen.XenstoreClient;

/**
 * The server's connection limit: idle connections cost at most one thread per slot, and the
 * quietest one gives its slot up to a newcomer once it has been quiet for {@code evictIdleAfter}.
 */
@Timeout(120)
class XenstoreServerConnectionLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final List<SocketChannel> held = new ArrayList<>();

  @AfterEach
  void closeHeld() throws IOException {
    for (SocketChannel ch : held) {
      ch.close();
    }
  }

  @Test
  void aThousandIdleConnectionsTakeNoMoreThreadsThanTheLimitAndARealClientIsStillServed()
      throws Exception {
    int limit = XenstoreServer.DEFAULT_MAX_CONNECTIONS;
    Duration quiet = Duration.ofMillis(500);
    int before = serverThreads();
    try (XenstoreServer server = XenstoreServer.builder(dir.resolve("xs.sock"))
        .evictIdleAfter(quiet).start()) {
      int peak = 0;
      for (int i = 0; i < 1000; i++) {
        held.add(open(server));
        if (i % 25 == 0) {
          peak = Math.max(peak, serverThreads() - before);
        }
      }
      // connect() returns once the kernel queued the connection: wait until the server dealt
      // with every one, serving it or closing it
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (closedByServer() + server.connectionCount() < held.size()) {
        assertThat(System.nanoTime()).as("server still accepting").isLessThan(deadline);
        peak = Math.max(peak, serverThreads() - before);
        Thread.sleep(10);
      }
      long settled = System.nanoTime(); // every served connection was accepted before this
      peak = Math.max(peak, serverThreads() - before);
      assertThat(peak).as("server threads (the acceptor and one per connection)")
          .isLessThanOrEqualTo(limit + 1);
      assertThat(server.connectionCount()).isLessThanOrEqualTo(limit);
      assertThat(closedByServer()).isGreaterThanOrEqualTo(held.size() - limit);

      // once the served ones have been quiet for `quiet`, a client that connects while the test
      // still holds all thousand is served at its first attempt, within 2 s
      Thread.sleep(Math.max(0, quiet.toMillis()
          - Duration.ofNanos(System.nanoTime() - settled).toMillis() + 50));
      long start = System.nanoTime();
      try (XenstoreClient c = XenstoreClient.connect(server.socket())) {
        c.write("/real/client", "answered");
        assertThat(c.read("/real/client")).isEqualTo("answered");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(serverThreads() - before).isLessThanOrEqualTo(limit + 1);
    }
    assertThat(serverThreads()).as("threads left after close").isEqualTo(before);
  }

  @Test
  void aNewConnectionIsClosedWhileEveryHeldOneWasActiveRecently() throws Exception {
    try (XenstoreServer server = XenstoreServer.builder(dir.resolve("xs.sock"))
        .maxConnections(2).evictIdleAfter(Duration.ofMinutes(1)).start();
        XenstoreClient a = XenstoreClient.connect(server.socket());
        XenstoreClient b = XenstoreClient.connect(server.socket())) {
      a.write("/a", "1");
      b.write("/b", "2");
      try (XenstoreClient c = XenstoreClient.connect(server.socket())) {
        assertThatThrownBy(() -> c.read("/a")).isInstanceOf(IOException.class);
      }
      assertThat(a.read("/b")).isEqualTo("2");
      assertThat(b.read("/a")).isEqualTo("1");
      assertThat(server.connectionCount()).isEqualTo(2);
    }
  }

  @Test
  void theQuietestConnectionGivesUpItsSlotOnceQuietLongEnough() throws Exception {
    Duration quiet = Duration.ofMillis(200);
    try (XenstoreServer server = XenstoreServer.builder(dir.resolve("xs.sock"))
        .maxConnections(2).evictIdleAfter(quiet).start();
        XenstoreClient a = XenstoreClient.connect(server.socket());
        XenstoreClient b = XenstoreClient.connect(server.socket())) {
      a.write("/a", "1");
      b.write("/b", "2");
      Thread.sleep(quiet.toMillis() + 100);
      b.read("/b"); // b is active again; a has been quiet for longer than allowed
      try (XenstoreClient c = XenstoreClient.connect(server.socket())) {
        assertThat(c.read("/a")).isEqualTo("1");
      }
      assertThat(b.read("/a")).isEqualTo("1");
      assertThatThrownBy(() -> a.read("/b")).isInstanceOf(IOException.class);
    }
  }

  private SocketChannel open(XenstoreServer server) throws IOException {
    return SocketChannel.open(UnixDomainSocketAddress.of(server.socket()));
  }

  /** How many held connections the server has closed (they read end of stream). */
  private int closedByServer() throws IOException {
    int n = 0;
    ByteBuffer one = ByteBuffer.allocate(1);
    for (SocketChannel ch : held) {
      ch.configureBlocking(false);
      one.clear();
      if (ch.read(one) < 0) {
        n++;
      }
    }
    return n;
  }

  private static int serverThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("xenstore-server")).count();
  }
}
