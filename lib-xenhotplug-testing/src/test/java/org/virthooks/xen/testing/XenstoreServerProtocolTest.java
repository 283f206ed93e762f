package org.virthooks.xen.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.xen.XenstoreClient;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.XsType;

/** The server on the wire: exact reply framing, errors, limits, and broken clients isolated. */
@Timeout(60)
class XenstoreServerProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;
  XenstoreServer server;

  @BeforeEach
  void start() throws Exception {
    server = XenstoreServer.start(dir.resolve("xs.sock"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String text(Frame f) {
    return new String(f.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void repliesEchoIdsAndUseTheProtocolEncodings() throws Exception {
    try (RawConnection c = new RawConnection(server.socket())) {
      c.send(XsType.WRITE, 41, 0, "/a/b\0value".getBytes(StandardCharsets.UTF_8));
      Frame w = c.next(WAIT);
      assertThat(w.knownType()).isEqualTo(XsType.WRITE);
      assertThat(w.reqId()).isEqualTo(41);
      assertThat(text(w)).isEqualTo("OK\0");

      c.send(XsType.READ, 42, 0, Frame.strings("/a/b"));
      Frame r = c.next(WAIT);
      assertThat(r.reqId()).isEqualTo(42);
      assertThat(text(r)).isEqualTo("value"); // raw value, no NUL

      c.send(XsType.DIRECTORY, 43, 0, Frame.strings("/a"));
      assertThat(text(c.next(WAIT))).isEqualTo("b\0");

      c.send(XsType.GET_PERMS, 44, 0, Frame.strings("/a/b"));
      assertThat(text(c.next(WAIT))).isEqualTo("n0\0");

      c.send(XsType.READ, 45, 0, Frame.strings("/missing"));
      Frame e = c.next(WAIT);
      assertThat(e.knownType()).isEqualTo(XsType.ERROR);
      assertThat(e.reqId()).isEqualTo(45);
      assertThat(text(e)).isEqualTo("ENOENT\0");

      c.send(XsType.TRANSACTION_START, 46, 0, new byte[] {0});
      Frame t = c.next(WAIT);
      int tx = Integer.parseInt(t.firstString());
      assertThat(text(t)).endsWith("\0");
      c.send(XsType.WRITE, 47, tx, "/a/c\0x".getBytes(StandardCharsets.UTF_8));
      Frame inTx = c.next(WAIT);
      assertThat(inTx.txId()).isEqualTo(tx);
      c.send(XsType.TRANSACTION_END, 48, tx, Frame.strings("T"));
      assertThat(text(c.next(WAIT))).isEqualTo("OK\0");
      assertThat(server.read("/a/c")).contains("x");

      c.send(XsType.WATCH, 49, 0, Frame.strings("/a", "tk"));
      Frame ok = c.next(WAIT);
      assertThat(ok.knownType()).isEqualTo(XsType.WATCH);
      Frame first = c.next(WAIT);
      assertThat(first.knownType()).isEqualTo(XsType.WATCH_EVENT);
      assertThat(text(first)).isEqualTo("/a\0tk\0");
    }
  }

  @Test
  void refusesMalformedRequestsWithErrors() throws Exception {
    try (RawConnection c = new RawConnection(server.socket())) {
      c.send(XsType.READ, 1, 0, "/no-nul".getBytes(StandardCharsets.UTF_8));
      assertThat(text(c.next(WAIT))).isEqualTo("EINVAL\0");
      c.send(XsType.WRITE, 2, 0, "/no-separator".getBytes(StandardCharsets.UTF_8));
      assertThat(text(c.next(WAIT))).isEqualTo("EINVAL\0");
      c.send(XsType.READ, 3, 0, Frame.strings("/bad path"));
      assertThat(text(c.next(WAIT))).isEqualTo("EINVAL\0");
      c.send(XsType.READ, 4, 0, Frame.strings("/trailing/"));
      assertThat(text(c.next(WAIT))).isEqualTo("EINVAL\0");
      c.send(XsType.READ, 5, 0, Frame.strings("/" + "x".repeat(3072)));
      assertThat(text(c.next(WAIT))).isEqualTo("EINVAL\0");
      c.sendHeader(99, 6, 0, 0);
      Frame unknown = c.next(WAIT);
      assertThat(unknown.knownType()).isEqualTo(XsType.ERROR);
      assertThat(text(unknown)).isEqualTo("ENOSYS\0");
      c.send(XsType.READ, 7, 12345, Frame.strings("/"));
      assertThat(text(c.next(WAIT))).isEqualTo("ENOENT\0"); // no such transaction
      c.send(XsType.RM, 8, 0, Frame.strings("/"));
      assertThat(text(c.next(WAIT))).isEqualTo("EINVAL\0");
      // still served after all that
      c.send(XsType.READ, 9, 0, Frame.strings("/tool/xenstored"));
      Frame ok = c.next(WAIT);
      assertThat(ok.knownType()).isEqualTo(XsType.READ);
      assertThat(ok.reqId()).isEqualTo(9);
    }
  }

  @Test
  void oversizedMessageClosesOnlyThatConnection() throws Exception {
    try (XenstoreClient good = XenstoreClient.connect(server.socket());
        RawConnection bad = new RawConnection(server.socket())) {
      good.write("/ok", "1");
      bad.sendHeader(XsType.WRITE.code(), 1, 0, 4097);
      assertThat(bad.next(WAIT)).isNull(); // closed, nothing answered
      assertThat(good.read("/ok")).isEqualTo("1");
      good.write("/ok", "2");
      assertThat(server.read("/ok")).contains("2");
    }
  }

  @Test
  void connectionEndingInsideAMessageDoesNotHarmOthers() throws Exception {
    try (XenstoreClient good = XenstoreClient.connect(server.socket())) {
      try (RawConnection bad = new RawConnection(server.socket())) {
        bad.sendHeader(XsType.WRITE.code(), 1, 0, 100);
        bad.sendBytes("/half".getBytes(StandardCharsets.UTF_8));
      }
      good.write("/still", "fine");
      assertThat(good.read("/still")).isEqualTo("fine");
      assertThat(server.read("/half")).isEmpty();
    }
  }

  @Test
  void limitsTransactionsPerConnection() throws Exception {
    try (XenstoreServer s = XenstoreServer.builder(dir.resolve("l.sock")).maxTransactions(2)
        .start();
        RawConnection c = new RawConnection(s.socket())) {
      for (int i = 0; i < 2; i++) {
        c.send(XsType.TRANSACTION_START, i, 0, new byte[] {0});
        assertThat(c.next(WAIT).knownType()).isEqualTo(XsType.TRANSACTION_START);
      }
      c.send(XsType.TRANSACTION_START, 3, 0, new byte[] {0});
      assertThat(text(c.next(WAIT))).isEqualTo("ENOSPC\0");
    }
  }

  @Test
  void listsLongDirectoriesInParts() throws Exception {
    for (int i = 0; i < 300; i++) {
      server.write("/big/child-with-a-long-name-" + i, "");
    }
    try (XenstoreClient c = XenstoreClient.connect(server.socket());
        RawConnection raw = new RawConnection(server.socket())) {
      raw.send(XsType.DIRECTORY, 1, 0, Frame.strings("/big"));
      assertThat(text(raw.next(WAIT))).isEqualTo("E2BIG\0");
      StringBuilder all = new StringBuilder();
      int off = 0;
      while (true) {
        raw.send(XsType.DIRECTORY_PART, 2, 0, Frame.strings("/big", Integer.toString(off)));
        Frame f = raw.next(WAIT);
        assertThat(f.payload().length).isLessThanOrEqualTo(4096);
        String body = text(f);
        String names = body.substring(body.indexOf('\0') + 1);
        if (names.endsWith("\0\0") || names.equals("\0")) {
          all.append(names, 0, names.length() - 1);
          break;
        }
        all.append(names);
        off += names.getBytes(StandardCharsets.UTF_8).length;
      }
      assertThat(List.of(all.toString().split("\0"))).hasSize(300)
          .startsWith("child-with-a-long-name-0").endsWith("child-with-a-long-name-299");
    }
  }

  @Test
  void unwatchStopsEventsAndUnknownUnwatchIsEnoent() throws Exception {
    try (RawConnection c = new RawConnection(server.socket())) {
      c.send(XsType.WATCH, 1, 0, Frame.strings("/u", "t"));
      c.next(WAIT);
      c.next(WAIT);
      c.send(XsType.UNWATCH, 2, 0, Frame.strings("/u", "t"));
      assertThat(text(c.next(WAIT))).isEqualTo("OK\0");
      server.write("/u/x", "1");
      c.send(XsType.UNWATCH, 3, 0, Frame.strings("/u", "t"));
      Frame f = c.next(WAIT); // the next frame is the error, not an event
      assertThat(f.reqId()).isEqualTo(3);
      assertThat(text(f)).isEqualTo("ENOENT\0");
    }
  }

  @Test
  void closeStopsConnectionsAndRemovesTheSocket() throws Exception {
    XenstoreServer s = XenstoreServer.start(dir.resolve("c.sock"));
    try (RawConnection c = new RawConnection(s.socket())) {
      c.send(XsType.READ, 1, 0, Frame.strings("/"));
      c.next(WAIT);
      assertThat(s.connectionCount()).isEqualTo(1);
      s.close();
      assertThat(c.next(WAIT)).isNull();
      assertThat(s.connectionCount()).isZero();
      assertThat(s.socket()).doesNotExist();
    }
  }
}
