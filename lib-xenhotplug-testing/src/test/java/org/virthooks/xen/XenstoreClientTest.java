package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.xen.testing.XenstoreServer;

/** The client against the in-memory server: every operation, watches, transactions, checks. */
@Timeout(60)
class XenstoreClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;
  XenstoreServer server;
  XenstoreClient client;

  @BeforeEach
  void start() throws IOException {
    server = XenstoreServer.start(dir.resolve("xs.sock"));
    client = XenstoreClient.connect(server.socket());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void writesReadsListsAndRemoves() throws IOException {
    client.write("/vm/a/name", "web1");
    client.write("/vm/a/uuid", "1234");
    client.mkdir("/vm/b");
    client.mkdir("/vm/b"); // mkdir of an existing node is fine

    assertThat(client.read("/vm/a/name")).isEqualTo("web1");
    assertThat(client.read("/vm")).isEmpty(); // intermediate nodes are created empty
    assertThat(client.directory("/vm")).containsExactly("a", "b");
    assertThat(client.directory("/vm/a")).containsExactly("name", "uuid");
    assertThat(client.directory("/vm/b")).isEmpty();

    client.rm("/vm/a");
    assertThat(client.tryRead("/vm/a/name")).isEmpty();
    assertThat(client.directory("/vm")).containsExactly("b");
    client.rm("/vm/a"); // already gone, parent exists: fine
    assertThatThrownBy(() -> client.rm("/nothing/here"))
        .isInstanceOf(XenstoreException.class).hasMessageContaining("ENOENT");
    assertThatThrownBy(() -> client.read("/vm/a"))
        .isInstanceOfSatisfying(XenstoreException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining("read /vm/a");
  }

  @Test
  void keepsRawBytesAndUtf8() throws IOException {
    byte[] raw = {0, 1, 2, (byte) 0xff, 0};
    client.write("/bin", raw);
    assertThat(client.readBytes("/bin")).containsExactly(raw);
    client.write("/text", "grüße");
    assertThat(client.read("/text")).isEqualTo("grüße");
    client.write("/empty", "");
    assertThat(client.read("/empty")).isEmpty();
  }

  @Test
  void resolvesRelativePathsAgainstTheHomeDomain() throws IOException {
    client.write("backend/vbd/3/51712/params", "/dev/vg/disk");
    assertThat(client.read("/local/domain/0/backend/vbd/3/51712/params")).isEqualTo("/dev/vg/disk");
    assertThat(client.getDomainPath(7)).isEqualTo("/local/domain/7");
  }

  @Test
  void homeDomainIsConfigurable() throws IOException {
    try (XenstoreServer other = XenstoreServer.builder(dir.resolve("other.sock"))
        .homeDomain(5).start();
        XenstoreClient c = XenstoreClient.connect(other.socket())) {
      c.write("data/x", "1");
      assertThat(other.read("/local/domain/5/data/x")).contains("1");
    }
  }

  @Test
  void getsAndSetsPermissions() throws IOException {
    client.write("/p/node", "v");
    assertThat(client.getPermissions("/p/node")).containsExactly(XsPermission.parse("n0"));
    List<XsPermission> perms = List.of(XsPermission.parse("n0"), XsPermission.parse("r5"),
        new XsPermission(7, XsPermission.Access.BOTH));
    client.setPermissions("/p/node", perms);
    assertThat(client.getPermissions("/p/node")).isEqualTo(perms);
    assertThat(perms.get(2).toString()).isEqualTo("b7");
    client.write("/p/node/child", "c"); // children inherit
    assertThat(client.getPermissions("/p/node/child")).isEqualTo(perms);
    assertThatThrownBy(() -> XsPermission.parse("x5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x5'");
  }

  @Test
  void enforcesPermissionsForUnprivilegedDomains() throws IOException {
    try (XenstoreServer s = XenstoreServer.builder(dir.resolve("u.sock"))
        .connectionDomain(3).homeDomain(3).start();
        XenstoreClient guest = XenstoreClient.connect(s.socket())) {
      s.write("/secret", "x");
      assertThatThrownBy(() -> guest.read("/secret")).hasMessageContaining("EACCES");
      assertThatThrownBy(() -> guest.write("/secret", "y")).hasMessageContaining("EACCES");
      // only the owner (dom0 here) may change permissions, and every connection here is dom3
      try (XenstoreClient another = XenstoreClient.connect(s.socket())) {
        assertThatThrownBy(() -> another.setPermissions("/local/domain/3",
            List.of(XsPermission.parse("n3")))).hasMessageContaining("EACCES");
      }
    }
  }

  @Test
  void watchFiresAtOnceThenOnChangesBelowAndOnRemoval() throws IOException {
    client.write("/w/a", "1");
    try (XenstoreWatch w = client.watch("/w", "tok")) {
      assertThat(w.next(WAIT)).contains(new WatchEvent("/w", "tok"));
      client.write("/w/a/deep", "2");
      assertThat(w.next(WAIT)).contains(new WatchEvent("/w/a/deep", "tok"));
      client.write("/elsewhere", "3");
      client.rm("/w");
      assertThat(w.next(WAIT)).contains(new WatchEvent("/w", "tok"));
      assertThat(w.next(Duration.ofMillis(100))).isEmpty();
    }
    // unwatched: no more events, and the token is free again
    client.write("/w/b", "4");
    try (XenstoreWatch w = client.watch("/w/b", "tok")) {
      assertThat(w.next(WAIT)).contains(new WatchEvent("/w/b", "tok"));
      // removing an ancestor fires a watch below it with the watch's own path
      client.rm("/w");
      assertThat(w.next(WAIT)).contains(new WatchEvent("/w/b", "tok"));
    }
  }

  @Test
  void relativeWatchReportsRelativePathsAndSeesOtherConnections() throws IOException {
    try (XenstoreClient other = XenstoreClient.connect(server.socket());
        XenstoreWatch w = client.watch("backend/vbd")) {
      assertThat(w.next(WAIT).orElseThrow().path()).isEqualTo("backend/vbd");
      other.write("/local/domain/0/backend/vbd/1/768/state", "2");
      assertThat(w.next(WAIT).orElseThrow().path()).isEqualTo("backend/vbd/1/768/state");
    }
  }

  @Test
  void refusesDuplicateWatchesAndUnknownSpecialPaths() throws IOException {
    try (XenstoreWatch w = client.watch("@releaseDomain", "r")) {
      assertThat(w.next(WAIT)).contains(new WatchEvent("@releaseDomain", "r"));
      assertThatThrownBy(() -> client.watch("@releaseDomain", "r"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already in use");
    }
    assertThatThrownBy(() -> client.watch("@nonsense", "t")).hasMessageContaining("EINVAL");
  }

  @Test
  void transactionsAreIsolatedUntilCommit() throws IOException {
    client.write("/t/x", "0");
    try (XenstoreTransaction tx = client.beginTransaction()) {
      tx.write("/t/x", "1");
      tx.write("/t/new", "n");
      assertThat(tx.read("/t/x")).isEqualTo("1");
      assertThat(client.read("/t/x")).isEqualTo("0");
      assertThat(client.tryRead("/t/new")).isEmpty();
      tx.commit();
    }
    assertThat(client.read("/t/x")).isEqualTo("1");
    assertThat(client.read("/t/new")).isEqualTo("n");

    try (XenstoreTransaction tx = client.beginTransaction()) {
      tx.rm("/t/x");
      // closed without commit: aborted
    }
    assertThat(client.read("/t/x")).isEqualTo("1");
  }

  @Test
  void conflictingCommitFailsWithEagain() throws IOException {
    client.write("/c/x", "0");
    try (XenstoreClient other = XenstoreClient.connect(server.socket());
        XenstoreTransaction tx = client.beginTransaction()) {
      String v = tx.read("/c/x");
      other.write("/c/x", "changed");
      tx.write("/c/y", v + "+1");
      assertThatThrownBy(tx::commit).isInstanceOfSatisfying(XenstoreException.class,
          e -> assertThat(e.isConflict()).isTrue());
    }
    assertThat(client.tryRead("/c/y")).isEmpty();
    assertThat(server.conflictCount()).isEqualTo(1);
  }

  @Test
  void transactionRetriesOnConflictAndWatchersSeeTheCommit() throws IOException {
    client.write("/r/counter", "0");
    AtomicInteger runs = new AtomicInteger();
    try (XenstoreClient other = XenstoreClient.connect(server.socket());
        XenstoreWatch w = other.watch("/r/counter")) {
      w.next(WAIT);
      String result = client.transaction(tx -> {
        int n = Integer.parseInt(tx.read("/r/counter"));
        if (runs.incrementAndGet() == 1) {
          other.write("/r/counter", "10"); // a concurrent change: this attempt must conflict
        }
        tx.write("/r/counter", Integer.toString(n + 1));
        return "done";
      });
      assertThat(result).isEqualTo("done");
      assertThat(runs).hasValue(2);
      assertThat(client.read("/r/counter")).isEqualTo("11");
      assertThat(w.next(WAIT)).contains(new WatchEvent("/r/counter", w.token())); // other's write
      assertThat(w.next(WAIT)).contains(new WatchEvent("/r/counter", w.token())); // the commit
    }
  }

  @Test
  void transactionGivesUpAfterBoundedAttempts() throws IOException {
    client.write("/g/x", "0");
    try (XenstoreClient other = XenstoreClient.connect(server.socket())) {
      AtomicInteger runs = new AtomicInteger();
      assertThatThrownBy(() -> client.transaction(3, tx -> {
        tx.read("/g/x");
        other.write("/g/x", Integer.toString(runs.incrementAndGet()));
        tx.write("/g/y", "1");
        return null;
      })).isInstanceOf(XenstoreException.class).hasMessageContaining("after 3 attempts");
      assertThat(runs).hasValue(3);
    }
  }

  @Test
  void checksArgumentsBeforeSending() throws IOException {
    long before = server.requestCount();
    assertThatThrownBy(() -> client.read("/bad path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/bad path'").hasMessageContaining("character ' '");
    assertThatThrownBy(() -> client.read("/a//b")).hasMessageContaining("empty component");
    assertThatThrownBy(() -> client.read("/a/")).hasMessageContaining("ends with /");
    assertThatThrownBy(() -> client.read("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> client.read("/" + "a".repeat(3072)))
        .hasMessageContaining("more than 3072");
    assertThatThrownBy(() -> client.read("a".repeat(2049))).hasMessageContaining("more than 2048");
    assertThatThrownBy(() -> client.write("/big", new byte[4096]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit of 4096");
    assertThatThrownBy(() -> client.watch("/x", "")).hasMessageContaining("token");
    assertThat(server.requestCount()).isEqualTo(before);
    client.write("/fits", new byte[4096 - "/fits".length() - 1]); // exactly the limit is fine
  }

  @Test
  void matchesRepliesAcrossConcurrentThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            client.write("/conc/" + id, id + ":" + i);
            assertThat(client.read("/conc/" + id)).isEqualTo(id + ":" + i);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void timesOutWhenTheDaemonDoesNotAnswer() throws Exception {
    Path sock = dir.resolve("mute.sock");
    try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      mute.bind(UnixDomainSocketAddress.of(sock));
      try (XenstoreClient c = XenstoreClient.connect(XenstoreAddress.socket(sock),
          Duration.ofMillis(200));
          SocketChannel accepted = mute.accept()) {
        assertThatThrownBy(() -> c.read("/x")).isInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining("no reply").hasMessageContaining("200 ms");
      }
    }
  }

  @Test
  void failsClearlyWhenTheDaemonGoesAway() throws IOException {
    assertThatThrownBy(() -> XenstoreClient.connect(dir.resolve("none.sock")))
        .hasMessageContaining("cannot connect to xenstore").hasMessageContaining("XENSTORED_PATH");
    server.close();
    assertThatThrownBy(() -> client.read("/x")).isInstanceOf(IOException.class);
  }

  @Test
  void resolvesTheAddressLikeLibxenstore() {
    Path sock = dir.resolve("s");
    assertThat(XenstoreAddress.resolve(Map.of("XENSTORED_PATH", sock.toString()), p -> false))
        .isEqualTo(XenstoreAddress.socket(sock));
    assertThat(XenstoreAddress.resolve(Map.of("XENSTORED_RUNDIR", "/run/x"), p -> true))
        .isEqualTo(XenstoreAddress.socket(Path.of("/run/x/socket")));
    assertThat(XenstoreAddress.resolve(Map.of(), p -> true))
        .isEqualTo(XenstoreAddress.socket(Path.of("/var/run/xenstored/socket")));
    assertThat(XenstoreAddress.resolve(Map.of(), p -> p.toString().equals("/dev/xen/xenbus")))
        .isEqualTo(new XenstoreAddress(Path.of("/dev/xen/xenbus"), true));
  }
}
