package org.virthooks.xen.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.XsType;

/** The protocol state machine alone: requests fed in, the frames it sends looked at, no socket. */
class XenstoreSessionTest {
  private static final XenstoreSession.Limits LIMITS = new XenstoreSession.Limits(10, 128);

  private final Store store = new Store(3);

  /** What a session sent, oldest first. */
  private static final class Sent implements XenstoreSession.Outbox {
    final List<Frame> frames = new ArrayList<>();

    @Override
    public void send(Frame f) {
      frames.add(f);
    }

    Frame next() {
      assertThat(frames).as("a frame was sent").isNotEmpty();
      return frames.remove(0);
    }
  }

  private XenstoreSession open(Sent out) {
    return XenstoreSession.open(store, 0, LIMITS, out);
  }

  private static Frame request(XsType type, int req, int tx, String payload) {
    return Frame.of(type, req, tx, payload.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Frame f) {
    return new String(f.payload(), StandardCharsets.UTF_8);
  }

  /** The next frame sent is of this type, answers this request, and carries this payload. */
  private static void expect(Sent out, XsType type, int req, String payload) {
    Frame f = out.next();
    assertThat(f.knownType()).isEqualTo(type);
    assertThat(f.reqId()).isEqualTo(req);
    assertThat(text(f)).isEqualTo(payload);
  }

  @Test
  void aWriteIsReadBack() {
    Sent out = new Sent();
    XenstoreSession s = open(out);

    s.handle(request(XsType.WRITE, 7, 0, "/vm/name\0guest"));
    expect(out, XsType.WRITE, 7, "OK\0");

    s.handle(request(XsType.READ, 8, 0, "/vm/name\0"));
    expect(out, XsType.READ, 8, "guest"); // the raw value, no NUL
    assertThat(out.frames).isEmpty();
    assertThat(store.read("/vm/name")).contains("guest");
  }

  @Test
  void aWatchFiresOnAnotherSessionsWriteWithItsOwnPathForm() {
    Sent writerOut = new Sent();
    Sent watcherOut = new Sent();
    XenstoreSession writer = open(writerOut);
    XenstoreSession watcher = open(watcherOut);

    // relative to the home domain (3), so the event names the path relatively too
    watcher.handle(request(XsType.WATCH, 1, 0, "device\0tok\0"));
    assertThat(watcherOut.next().knownType()).isEqualTo(XsType.WATCH);
    assertThat(text(watcherOut.next())).isEqualTo("device\0tok\0"); // the immediate first event

    writer.handle(request(XsType.WRITE, 2, 0, "/local/domain/3/device/vif/0\0x"));
    writer.handle(request(XsType.WRITE, 3, 0, "/elsewhere\0y"));

    Frame event = watcherOut.next();
    assertThat(event.knownType()).isEqualTo(XsType.WATCH_EVENT);
    assertThat(text(event)).isEqualTo("device/vif/0\0tok\0");
    assertThat(watcherOut.frames).as("nothing for a write outside the watch").isEmpty();
    assertThat(writerOut.frames).extracting(Frame::knownType)
        .containsExactly(XsType.WRITE, XsType.WRITE);

    watcher.close();
    writer.handle(request(XsType.WRITE, 4, 0, "/local/domain/3/device/vif/1\0z"));
    assertThat(watcherOut.frames).as("a closed session hears nothing").isEmpty();
  }

  @Test
  void aTransactionWhoseReadWasChangedMeanwhileFailsWithEagain() {
    Sent aOut = new Sent();
    Sent bOut = new Sent();
    XenstoreSession a = open(aOut);
    XenstoreSession b = open(bOut);
    b.handle(request(XsType.WRITE, 1, 0, "/counter\0" + "1"));
    bOut.next();

    a.handle(request(XsType.TRANSACTION_START, 2, 0, "\0"));
    int tx = Integer.parseInt(aOut.next().firstString());
    a.handle(request(XsType.READ, 3, tx, "/counter\0"));
    assertThat(text(aOut.next())).isEqualTo("1");
    a.handle(request(XsType.WRITE, 4, tx, "/counter\0" + "2"));
    assertThat(aOut.next().txId()).isEqualTo(tx);

    b.handle(request(XsType.WRITE, 5, 0, "/counter\0" + "5"));
    a.handle(request(XsType.TRANSACTION_END, 6, tx, "T\0"));

    expect(aOut, XsType.ERROR, 6, "EAGAIN\0");
    assertThat(store.read("/counter")).contains("5");
    assertThat(store.conflictCount()).isEqualTo(1);
    assertThat(store.commitCount()).isZero();

    // the failed transaction is gone; a fresh one that nobody disturbs commits
    a.handle(request(XsType.READ, 7, tx, "/counter\0"));
    assertThat(text(aOut.next())).isEqualTo("ENOENT\0");
    a.handle(request(XsType.TRANSACTION_START, 8, 0, "\0"));
    int tx2 = Integer.parseInt(aOut.next().firstString());
    a.handle(request(XsType.WRITE, 9, tx2, "/counter\0" + "6"));
    aOut.next();
    assertThat(store.read("/counter")).as("not before commit").contains("5");
    a.handle(request(XsType.TRANSACTION_END, 10, tx2, "T\0"));
    assertThat(text(aOut.next())).isEqualTo("OK\0");
    assertThat(store.read("/counter")).contains("6");
    assertThat(store.commitCount()).isEqualTo(1);
  }

  @Test
  void aMissingPathIsAnErrorReplyEchoingTheIds() {
    Sent out = new Sent();
    XenstoreSession s = open(out);

    s.handle(request(XsType.READ, 11, 0, "/no/such/node\0"));
    expect(out, XsType.ERROR, 11, "ENOENT\0");

    s.handle(request(XsType.RM, 12, 0, "/no/such/node\0"));
    assertThat(text(out.next())).isEqualTo("ENOENT\0"); // its parent is missing too
    assertThat(out.frames).isEmpty();
  }

  @Test
  void aSecondWatchWithTheSameTokenIsEexistAndTheLimitIsE2big() {
    Sent out = new Sent();
    XenstoreSession s = XenstoreSession.open(store, 0, new XenstoreSession.Limits(10, 2), out);

    s.handle(request(XsType.WATCH, 1, 0, "/w\0t\0"));
    s.handle(request(XsType.WATCH, 2, 0, "/w\0t\0"));
    s.handle(request(XsType.WATCH, 3, 0, "/w\0other\0"));
    s.handle(request(XsType.WATCH, 4, 0, "/v\0t\0"));

    expect(out, XsType.WATCH, 1, "OK\0");
    expect(out, XsType.WATCH_EVENT, 0, "/w\0t\0");
    expect(out, XsType.ERROR, 2, "EEXIST\0");
    expect(out, XsType.WATCH, 3, "OK\0"); // same path, another token: a watch of its own
    expect(out, XsType.WATCH_EVENT, 0, "/w\0other\0");
    expect(out, XsType.ERROR, 4, "E2BIG\0");
  }
}
