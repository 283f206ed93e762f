package org.virthooks.xen.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.virthooks.xen.XsPermission;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.XsPaths;
import org.virthooks.xen.internal.XsType;

/**
 * One client's side of the xenstore protocol, without sockets: decoded requests in, replies and
 * watch events out to its {@link Outbox}, in the order the client must see them. It keeps the
 * client's watches and transactions; the tree is the {@link Store} every session shares, and a
 * change by any session sends this one its watch events.
 */
final class XenstoreSession {
  private static final byte[] OK = Frame.strings("OK");

  /**
   * Where a session's messages go. Called with the store's monitor held, from the thread of
   * whichever session made the change, so it must queue rather than block.
   */
  interface Outbox {
    void send(Frame f);
  }

  /** Per-session limits: open transactions before {@code ENOSPC}, watches before {@code E2BIG}. */
  record Limits(int maxTransactions, int maxWatches) {}

  private record Watch(String given, String abs, String token, boolean relative) {}

  private final Store store;
  private final int domid;
  private final Limits limits;
  private final Outbox out;
  // guarded by the store's monitor: a change by another session reads the watches
  private final List<Watch> watches = new ArrayList<>();
  private final Map<Integer, Transaction> txs = new HashMap<>();

  private XenstoreSession(Store store, int domid, Limits limits, Outbox out) {
    this.store = store;
    this.domid = domid;
    this.limits = limits;
    this.out = out;
  }

  /** A session acting as {@code domid}, receiving watch events from now until {@link #close}. */
  static XenstoreSession open(Store store, int domid, Limits limits, Outbox out) {
    XenstoreSession s = new XenstoreSession(store, domid, limits, out);
    store.join(s);
    return s;
  }

  /** Stops watch events; the session's transactions are dropped with it. */
  void close() {
    store.leave(this);
  }

  /** Answers one request: a reply or an ERROR, and any watch events it causes. */
  void handle(Frame f) {
    synchronized (store) {
      try {
        dispatch(f);
      } catch (XsError e) {
        out.send(new Frame(XsType.ERROR.code(), f.reqId(), f.txId(), Frame.strings(e.errno)));
      }
    }
  }

  private void dispatch(Frame f) {
    XsType t = f.knownType();
    if (t == null) {
      throw new XsError("ENOSYS");
    }
    switch (t) {
      case READ -> {
        String p = path(Args.one(f));
        Transaction tx = tx(f);
        reply(f, tx == null ? store.tree().read(domid, p, Tree.Recorder.NONE)
            : tx.tree().read(domid, p, tx));
      }
      case DIRECTORY -> {
        byte[] body = Frame.strings(names(f, path(Args.one(f))).toArray(String[]::new));
        if (body.length > Frame.PAYLOAD_MAX) {
          throw new XsError("E2BIG");
        }
        reply(f, body);
      }
      case DIRECTORY_PART -> directoryPart(f);
      case GET_PERMS -> {
        String p = path(Args.one(f));
        Transaction tx = tx(f);
        List<XsPermission> perms = tx == null ? store.tree().getPerms(domid, p, Tree.Recorder.NONE)
            : tx.tree().getPerms(domid, p, tx);
        reply(f, Frame.strings(perms.stream().map(Object::toString).toArray(String[]::new)));
      }
      case WRITE -> {
        Args.PathValue pv = Args.pathAndValue(f);
        String p = path(pv.path());
        change(f, (tree, rec) -> tree.write(domid, p, pv.value(), rec));
      }
      case MKDIR -> {
        String p = path(Args.one(f));
        change(f, (tree, rec) -> tree.write(domid, p, null, rec));
      }
      case RM -> {
        String p = path(Args.one(f));
        change(f, (tree, rec) -> tree.rm(domid, p, rec));
      }
      case SET_PERMS -> setPerms(f);
      case WATCH -> watch(f);
      case UNWATCH -> {
        List<String> parts = Args.strings(f, 2);
        String abs = watchPath(parts.get(0));
        if (!watches.removeIf(w -> w.abs.equals(abs) && w.token.equals(parts.get(1)))) {
          throw new XsError("ENOENT");
        }
        reply(f, OK);
      }
      case RESET_WATCHES -> {
        watches.clear();
        reply(f, OK);
      }
      case TRANSACTION_START -> {
        if (f.txId() != 0) {
          throw new XsError("EBUSY");
        }
        if (txs.size() >= limits.maxTransactions()) {
          throw new XsError("ENOSPC");
        }
        int id = store.nextTransactionId();
        txs.put(id, new Transaction(store.tree()));
        out.send(Frame.of(XsType.TRANSACTION_START, f.reqId(), 0,
            Frame.strings(Integer.toString(id))));
      }
      case TRANSACTION_END -> endTransaction(f);
      case GET_DOMAIN_PATH -> {
        String d = Args.one(f);
        if (!d.matches("[0-9]{1,9}")) {
          throw new XsError("EINVAL");
        }
        reply(f, Frame.strings("/local/domain/" + Integer.parseInt(d)));
      }
      case IS_DOMAIN_INTRODUCED -> reply(f,
          Frame.strings(Args.one(f).equals(Integer.toString(store.homeDomain())) ? "T" : "F"));
      case WATCH_EVENT, ERROR -> throw new XsError("EINVAL");
      default -> throw new XsError("ENOSYS");
    }
  }

  /** Applies a change live (firing watches) or to the request's transaction, then says OK. */
  private void change(Frame f, Transaction.Op op) {
    Transaction tx = tx(f);
    if (tx == null) {
      store.fire(op.apply(store.tree(), Tree.Recorder.NONE));
    } else {
      tx.apply(op);
    }
    reply(f, OK);
  }

  private void setPerms(Frame f) {
    List<String> parts = Args.strings(f);
    if (parts.size() < 2) {
      throw new XsError("EINVAL");
    }
    String p = path(parts.get(0));
    List<XsPermission> perms = new ArrayList<>();
    for (String s : parts.subList(1, parts.size())) {
      try {
        perms.add(XsPermission.parse(s));
      } catch (IllegalArgumentException e) {
        throw new XsError("EINVAL");
      }
    }
    change(f, (tree, rec) -> tree.setPerms(domid, p, perms, rec));
  }

  private void endTransaction(Frame f) {
    Transaction tx = tx(f);
    if (tx == null) {
      throw new XsError("EINVAL");
    }
    String arg = Args.one(f);
    if (!arg.equals("T") && !arg.equals("F")) {
      throw new XsError("EINVAL");
    }
    txs.remove(f.txId());
    if (arg.equals("T")) {
      if (tx.conflictsWith(store.tree())) {
        store.conflicted();
        throw new XsError("EAGAIN");
      }
      tx.replayOn(store.tree(), store::fire);
      store.committed();
    }
    reply(f, OK);
  }

  /** The children of {@code p}, in the request's transaction or live. */
  private List<String> names(Frame f, String p) {
    Transaction tx = tx(f);
    return tx == null ? store.tree().directory(domid, p, Tree.Recorder.NONE)
        : tx.tree().directory(domid, p, tx);
  }

  private void directoryPart(Frame f) {
    List<String> parts = Args.strings(f, 2);
    if (!parts.get(1).matches("[0-9]{1,9}")) {
      throw new XsError("EINVAL");
    }
    String p = path(parts.get(0));
    byte[] all = Frame.strings(names(f, p).toArray(String[]::new));
    int off = Integer.parseInt(parts.get(1));
    if (off > all.length) {
      throw new XsError("EINVAL");
    }
    Transaction tx = tx(f);
    byte[] gen = Frame.strings(Long.toString((tx == null ? store.tree() : tx.tree()).find(p).gen));
    int room = Frame.PAYLOAD_MAX - gen.length - 1;
    int end = off;
    // whole names only; the list's end is marked by an extra NUL
    while (end < all.length) {
      int next = end;
      while (all[next] != 0) {
        next++;
      }
      if (next + 1 - off > room) {
        break;
      }
      end = next + 1;
    }
    boolean last = end == all.length;
    ByteBuffer b = ByteBuffer.allocate(gen.length + (end - off) + (last ? 1 : 0));
    b.put(gen).put(all, off, end - off);
    if (last) {
      b.put((byte) 0);
    }
    reply(f, b.array());
  }

  private void watch(Frame f) {
    List<String> parts = Args.strings(f, 2);
    String given = parts.get(0);
    String token = parts.get(1);
    String abs = watchPath(given);
    for (Watch w : watches) {
      if (w.abs.equals(abs) && w.token.equals(token)) {
        throw new XsError("EEXIST");
      }
    }
    if (watches.size() >= limits.maxWatches()) {
      throw new XsError("E2BIG");
    }
    watches.add(new Watch(given, abs, token, !given.startsWith("/") && !given.startsWith("@")));
    // reply without the transaction id: watches live outside transactions
    out.send(Frame.of(XsType.WATCH, f.reqId(), 0, OK));
    out.send(Frame.of(XsType.WATCH_EVENT, 0, 0, Frame.strings(given, token)));
  }

  /** Sends this session's watch events for a change to the live tree; the store calls it. */
  void changed(Tree.Change ch) {
    for (Watch w : watches) {
      if (w.abs.startsWith("@")) {
        continue;
      }
      String hit = null;
      if (isAtOrBelow(ch.path(), w.abs)) {
        hit = ch.path();
      } else if (ch.removal() && isAtOrBelow(w.abs, ch.path())) {
        hit = w.abs;
      }
      if (hit == null) {
        continue;
      }
      if (domid != 0 && ch.perms() != null
          && !new Node(new byte[0], ch.perms(), 0).accessOf(domid).canRead()) {
        continue;
      }
      String home = store.homePath();
      String shown = w.relative && hit.startsWith(home + "/")
          ? hit.substring(home.length() + 1) : hit;
      out.send(Frame.of(XsType.WATCH_EVENT, 0, 0, Frame.strings(shown, w.token)));
    }
  }

  private static boolean isAtOrBelow(String path, String top) {
    return path.equals(top) || top.equals("/")
        || (path.startsWith(top) && path.charAt(top.length()) == '/');
  }

  /** The request's transaction, null outside one; an unknown id is {@code ENOENT}. */
  private Transaction tx(Frame f) {
    if (f.txId() == 0) {
      return null;
    }
    Transaction tx = txs.get(f.txId());
    if (tx == null) {
      throw new XsError("ENOENT");
    }
    return tx;
  }

  private void reply(Frame f, byte[] body) {
    out.send(new Frame(f.type(), f.reqId(), f.txId(), body));
  }

  private String path(String given) {
    if (XsPaths.problem(given) != null || given.startsWith("@")) {
      throw new XsError("EINVAL");
    }
    String abs = given.startsWith("/") ? given : store.homePath() + "/" + given;
    if (abs.length() > XsPaths.ABS_MAX) {
      throw new XsError("EINVAL");
    }
    return abs;
  }

  private String watchPath(String given) {
    if (given.startsWith("@")) {
      if (!given.equals("@introduceDomain") && !given.equals("@releaseDomain")) {
        throw new XsError("EINVAL");
      }
      return given;
    }
    return path(given);
  }
}
