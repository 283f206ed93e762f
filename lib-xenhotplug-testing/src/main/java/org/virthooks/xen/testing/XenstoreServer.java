package org.virthooks.xen.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.xen.XsPermission;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.OversizedFrameException;
import org.virthooks.xen.internal.XsPaths;
import org.virthooks.xen.internal.XsType;

/**
 * An in-memory xenstore daemon on a Unix socket, after xenstored: the node tree with permissions,
 * transactions on a snapshot with conflict detection at commit ({@code EAGAIN}), watches with the
 * immediate first event, relative paths against a home domain, and the protocol's limits. A
 * message announcing more than 4096 bytes, or ending inside itself, closes that connection only;
 * a bad request gets an ERROR reply. Connections act as a configurable domain (0, privileged, by
 * default). Each connection is served on a thread of its own, at most
 * {@link Builder#maxConnections} at once: when all are taken, a new connection takes the slot of
 * the connection that has sent no request for longest, if that one has been quiet for
 * {@link Builder#evictIdleAfter}, and is closed at once otherwise. Start with {@link #start(Path)}
 * or {@link #builder(Path)}; {@link #close()} stops every thread and removes the socket.
 */
public final class XenstoreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XenstoreServer.class);
  private static final byte[] OK = Frame.strings("OK");
  /** Queued messages a connection may leave unread before the server drops it. */
  private static final int MAX_QUEUED = 4096;
  /** Connections served at once unless {@link Builder#maxConnections} says otherwise. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** Quiet time before a connection's slot may be taken, unless the builder says otherwise. */
  public static final Duration DEFAULT_EVICT_IDLE_AFTER = Duration.ofSeconds(10);
  /** At most one warning per this period about a full server, however many connections. */
  private static final long FULL_LOG_PERIOD = TimeUnit.SECONDS.toNanos(1);

  private final Path socket;
  private final int homeDomain;
  private final int connectionDomain;
  private final int maxTransactions;
  private final int maxWatches;
  private final int maxConnections;
  private final long evictIdleAfterNanos;
  /** One permit per connection thread, given back when the thread ends. */
  private final Semaphore slots;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private Tree tree = Tree.empty();
  private int nextTx = 1;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private volatile boolean closed;
  // the acceptor's alone (close()'s once the acceptor has ended); the first is logged at once
  private long fullLoggedAt = System.nanoTime() - FULL_LOG_PERIOD;
  private int refusedSinceLog;
  private int evictedSinceLog;

  /** Settings of a server before it starts. */
  public static final class Builder {
    private final Path socket;
    private int homeDomain = 0;
    private int connectionDomain = 0;
    private int maxTransactions = 10;
    private int maxWatches = 128;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration evictIdleAfter = DEFAULT_EVICT_IDLE_AFTER;

    private Builder(Path socket) {
      this.socket = socket;
    }

    /** The domain relative paths resolve against ({@code /local/domain/<home>}); 0 by default. */
    public Builder homeDomain(int domid) {
      this.homeDomain = domid;
      return this;
    }

    /** The domain connections act as; 0 (privileged, permissions not enforced) by default. */
    public Builder connectionDomain(int domid) {
      this.connectionDomain = domid;
      return this;
    }

    /** Open transactions per connection before {@code ENOSPC}; 10 as xenstored. */
    public Builder maxTransactions(int n) {
      this.maxTransactions = n;
      return this;
    }

    /** Watches per connection before {@code E2BIG}; 128 as xenstored. */
    public Builder maxWatches(int n) {
      this.maxWatches = n;
      return this;
    }

    /**
     * Connections served at once, each on a thread of its own; 64 by default. Beyond it a new
     * connection is closed, with a log line, unless it can take the slot of a quiet one (see
     * {@link #evictIdleAfter}).
     */
    public Builder maxConnections(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + n);
      }
      this.maxConnections = n;
      return this;
    }

    /**
     * How long a connection must have sent no request before a new connection may take its slot
     * (closing it) when all slots are taken; 10 s by default. While slots are free nobody is
     * closed for being quiet: a client waiting for watch events may be quiet for as long as it
     * likes, but quiet clients cannot keep others out for longer than this.
     */
    public Builder evictIdleAfter(Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("evictIdleAfter must not be negative: " + d);
      }
      this.evictIdleAfter = d;
      return this;
    }

    /** Binds the socket and starts accepting. */
    public XenstoreServer start() throws IOException {
      return new XenstoreServer(this);
    }
  }

  /** A builder for a server on {@code socket} (its directory must exist; the file must not). */
  public static Builder builder(Path socket) {
    return new Builder(socket);
  }

  /** Starts a server with default settings on {@code socket}. */
  public static XenstoreServer start(Path socket) throws IOException {
    return builder(socket).start();
  }

  private XenstoreServer(Builder b) throws IOException {
    this.socket = b.socket;
    this.homeDomain = b.homeDomain;
    this.connectionDomain = b.connectionDomain;
    this.maxTransactions = b.maxTransactions;
    this.maxWatches = b.maxWatches;
    this.maxConnections = b.maxConnections;
    this.evictIdleAfterNanos = b.evictIdleAfter.toNanos();
    this.slots = new Semaphore(maxConnections);
    synchronized (lock) {
      // xenstored starts with these; libxl and the scripts expect the domain homes to exist
      tree.write(0, "/local/domain/" + homeDomain, null, Tree.Recorder.NONE);
      tree.write(0, "/tool/xenstored", null, Tree.Recorder.NONE);
    }
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = new Thread(this::acceptLoop, "xenstore-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The socket clients connect to; give it to them as {@code XENSTORED_PATH}. */
  public Path socket() {
    return socket;
  }

  /** {@code /local/domain/<home>}: where relative paths point. */
  public String homePath() {
    return "/local/domain/" + homeDomain;
  }

  /** Connections currently open. */
  public int connectionCount() {
    return conns.size();
  }

  /** Requests answered so far. */
  public long requestCount() {
    return requests.get();
  }

  /** Transactions committed so far. */
  public long commitCount() {
    return commits.get();
  }

  /** Commits refused with {@code EAGAIN} so far. */
  public long conflictCount() {
    return conflicts.get();
  }

  /** The value of a node, read directly (absolute or relative path), for test assertions. */
  public Optional<String> read(String path) {
    synchronized (lock) {
      Node n = tree.find(absolute(path));
      return n == null ? Optional.empty()
          : Optional.of(new String(n.value, StandardCharsets.UTF_8));
    }
  }

  /** Writes a node directly as domain 0, firing watches, for test set-up. */
  public void write(String path, String value) {
    String abs = absolute(path);
    synchronized (lock) {
      Tree.Change c = tree.write(0, abs, value.getBytes(StandardCharsets.UTF_8),
          Tree.Recorder.NONE);
      fire(c);
    }
    flushAll();
  }

  /** Removes a node directly, firing watches, for test set-up. */
  public void rm(String path) {
    String abs = absolute(path);
    synchronized (lock) {
      Node n = tree.find(abs);
      if (n != null) {
        fire(tree.rm(0, abs, Tree.Recorder.NONE));
      }
    }
    flushAll();
  }

  /** Every node at and below {@code path} with its value, in tree order. */
  public Map<String, String> dump(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    synchronized (lock) {
      tree.dump(absolute(path), out);
    }
    return out;
  }

  private String absolute(String path) {
    String p = XsPaths.check(path);
    return p.startsWith("/") ? p : homePath() + "/" + p;
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("xenstore server stopped accepting on {}", socket, e);
        }
        return;
      }
      if (!takeSlot()) {
        refuse(ch);
        continue;
      }
      Conn c = new Conn(ch, connectionDomain);
      conns.add(c);
      c.thread.start();
    }
  }

  /** A free slot, or the slot of the connection quiet longest if it has been quiet long enough. */
  private boolean takeSlot() {
    if (slots.tryAcquire()) {
      reportFull(true); // the server is no longer full: the last counts, held back until now
      return true;
    }
    if (conns.size() < maxConnections) {
      // a connection is closing and its thread is about to give its slot back
      return acquireSoon();
    }
    Conn quietest = null;
    for (Conn c : conns) {
      if (quietest == null || c.lastRequest - quietest.lastRequest < 0) {
        quietest = c;
      }
    }
    if (quietest == null || System.nanoTime() - quietest.lastRequest < evictIdleAfterNanos) {
      return false;
    }
    quietest.close();
    evictedSinceLog++;
    reportFull(false);
    // its thread ends before the newcomer's starts, so there are never more than the limit
    joinQuickly(quietest.thread);
    return acquireSoon();
  }

  private boolean acquireSoon() {
    try {
      return slots.tryAcquire(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes a connection there is no slot for. */
  private void refuse(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // it is being refused anyway
    }
    refusedSinceLog++;
    reportFull(false);
  }

  /**
   * Warns of connections refused or evicted since the last warning: at once for the first, then at
   * most once a period while the server stays full, so that a flood does not flood the log.
   */
  private void reportFull(boolean now) {
    if (refusedSinceLog + evictedSinceLog == 0
        || !now && System.nanoTime() - fullLoggedAt < FULL_LOG_PERIOD) {
      return;
    }
    LOG.warn("xenstore server on {} had all {} connection slots taken: closed {} new "
        + "connection(s) on arrival, and {} connection(s) quiet for at least {} ms to make room",
        socket, maxConnections, refusedSinceLog, evictedSinceLog,
        TimeUnit.NANOSECONDS.toMillis(evictIdleAfterNanos));
    fullLoggedAt = System.nanoTime();
    refusedSinceLog = 0;
    evictedSinceLog = 0;
  }

  /** Stops accepting, closes every connection, waits for the threads, removes the socket. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    join(acceptor);
    reportFull(true);
    for (Conn c : List.copyOf(conns)) {
      c.close();
      join(c.thread);
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("could not remove {}", socket, e);
    }
  }

  private static void join(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinQuickly(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- connections

  private record Watch(String given, String abs, String token, boolean relative) {}

  private static final class Tx implements Tree.Recorder {
    final Tree tree;
    final Map<String, Long> touched = new HashMap<>();
    final List<java.util.function.Function<Tree, Tree.Change>> ops = new ArrayList<>();

    Tx(Tree tree) {
      this.tree = tree;
    }

    @Override
    public void touch(String path, long gen) {
      touched.putIfAbsent(path, gen);
    }
  }

  private final class Conn {
    final SocketChannel channel;
    final int domid;
    final Thread thread;
    final List<Watch> watches = new ArrayList<>();
    final Map<Integer, Tx> txs = new HashMap<>();
    final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> out =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicInteger queued =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.locks.ReentrantLock writeLock =
        new java.util.concurrent.locks.ReentrantLock();
    volatile boolean dead;
    /** {@link System#nanoTime()} of the last request, or of the accept before the first. */
    volatile long lastRequest = System.nanoTime();

    Conn(SocketChannel channel, int domid) {
      this.channel = channel;
      this.domid = domid;
      this.thread = new Thread(this::serve, "xenstore-server-conn");
      thread.setDaemon(true);
    }

    void serve() {
      ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
      try {
        while (!dead) {
          Frame f = Frame.read(channel, header, Frame.PAYLOAD_MAX);
          if (f == null) {
            break;
          }
          lastRequest = System.nanoTime();
          synchronized (lock) {
            handle(this, f);
          }
          requests.incrementAndGet();
          flushAll();
        }
      } catch (OversizedFrameException e) {
        // xenstored drops a connection that breaks the length limit: it cannot resynchronise
        LOG.info("closing xenstore connection: {}", e.getMessage());
      } catch (IOException e) {
        if (!dead && !closed) {
          LOG.debug("xenstore connection ended: {}", e.getMessage());
        }
      } finally {
        close();
        slots.release();
      }
    }

    /** Queues a message; a connection that leaves too many unread is dropped. */
    void send(Frame f) {
      if (dead) {
        return;
      }
      if (queued.incrementAndGet() > MAX_QUEUED) {
        LOG.info("dropping xenstore connection that does not read its messages");
        // only mark and close: the caller may be iterating this connection's watches
        close();
        return;
      }
      out.add(f.encode());
    }

    /** Writes what is queued; whoever holds the lock writes for everyone (keeps the order). */
    void flush() {
      while (!out.isEmpty() && !dead) {
        if (!writeLock.tryLock()) {
          return;
        }
        try {
          ByteBuffer b;
          while ((b = out.poll()) != null) {
            queued.decrementAndGet();
            while (b.hasRemaining()) {
              channel.write(b);
            }
          }
        } catch (IOException e) {
          close();
        } finally {
          writeLock.unlock();
        }
      }
    }

    void close() {
      dead = true;
      conns.remove(this);
      try {
        channel.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  private void flushAll() {
    for (Conn c : conns) {
      c.flush();
    }
  }

  // ---------------------------------------------------------------- requests

  private void handle(Conn c, Frame f) {
    XsType t = f.knownType();
    try {
      if (t == null) {
        throw new XsError("ENOSYS");
      }
      switch (t) {
        case READ -> {
          String p = path(c, oneArg(f));
          Tx tx = tx(c, f);
          reply(c, f, tx == null ? tree.read(c.domid, p, Tree.Recorder.NONE)
              : tx.tree.read(c.domid, p, tx));
        }
        case DIRECTORY -> {
          String p = path(c, oneArg(f));
          Tx tx = tx(c, f);
          List<String> names = tx == null ? tree.directory(c.domid, p, Tree.Recorder.NONE)
              : tx.tree.directory(c.domid, p, tx);
          byte[] body = Frame.strings(names.toArray(String[]::new));
          if (body.length > Frame.PAYLOAD_MAX) {
            throw new XsError("E2BIG");
          }
          reply(c, f, body);
        }
        case DIRECTORY_PART -> directoryPart(c, f);
        case GET_PERMS -> {
          String p = path(c, oneArg(f));
          Tx tx = tx(c, f);
          List<XsPermission> perms = tx == null ? tree.getPerms(c.domid, p, Tree.Recorder.NONE)
              : tx.tree.getPerms(c.domid, p, tx);
          reply(c, f, Frame.strings(perms.stream().map(Object::toString).toArray(String[]::new)));
        }
        case WRITE -> {
          int nul = indexOfNul(f.payload());
          if (nul < 0) {
            throw new XsError("EINVAL");
          }
          String p = path(c, new String(f.payload(), 0, nul, StandardCharsets.UTF_8));
          byte[] v = java.util.Arrays.copyOfRange(f.payload(), nul + 1, f.payload().length);
          change(c, f, t2 -> t2.write(c.domid, p, v, recorder(c, f, t2)));
        }
        case MKDIR -> {
          String p = path(c, oneArg(f));
          change(c, f, t2 -> t2.write(c.domid, p, null, recorder(c, f, t2)));
        }
        case RM -> {
          String p = path(c, oneArg(f));
          change(c, f, t2 -> t2.rm(c.domid, p, recorder(c, f, t2)));
        }
        case SET_PERMS -> {
          List<String> parts = strings(f);
          if (parts.size() < 2) {
            throw new XsError("EINVAL");
          }
          String p = path(c, parts.get(0));
          List<XsPermission> perms = new ArrayList<>();
          for (String s : parts.subList(1, parts.size())) {
            try {
              perms.add(XsPermission.parse(s));
            } catch (IllegalArgumentException e) {
              throw new XsError("EINVAL");
            }
          }
          change(c, f, t2 -> t2.setPerms(c.domid, p, perms, recorder(c, f, t2)));
        }
        case WATCH -> watch(c, f);
        case UNWATCH -> {
          List<String> parts = strings(f);
          if (parts.size() != 2) {
            throw new XsError("EINVAL");
          }
          String abs = watchPath(c, parts.get(0));
          if (!c.watches.removeIf(w -> w.abs.equals(abs) && w.token.equals(parts.get(1)))) {
            throw new XsError("ENOENT");
          }
          reply(c, f, OK);
        }
        case RESET_WATCHES -> {
          c.watches.clear();
          reply(c, f, OK);
        }
        case TRANSACTION_START -> {
          if (f.txId() != 0) {
            throw new XsError("EBUSY");
          }
          if (c.txs.size() >= maxTransactions) {
            throw new XsError("ENOSPC");
          }
          int id = nextTx++;
          c.txs.put(id, new Tx(tree.copy()));
          c.send(Frame.of(XsType.TRANSACTION_START, f.reqId(), 0,
              Frame.strings(Integer.toString(id))));
        }
        case TRANSACTION_END -> endTransaction(c, f);
        case GET_DOMAIN_PATH -> {
          String d = oneArg(f);
          if (!d.matches("[0-9]{1,9}")) {
            throw new XsError("EINVAL");
          }
          reply(c, f, Frame.strings("/local/domain/" + Integer.parseInt(d)));
        }
        case IS_DOMAIN_INTRODUCED -> {
          String d = oneArg(f);
          reply(c, f, Frame.strings(d.equals(Integer.toString(homeDomain)) ? "T" : "F"));
        }
        case WATCH_EVENT, ERROR -> throw new XsError("EINVAL");
        default -> throw new XsError("ENOSYS");
      }
    } catch (XsError e) {
      c.send(new Frame(XsType.ERROR.code(), f.reqId(), f.txId(), Frame.strings(e.errno)));
    }
  }

  private Tree.Recorder recorder(Conn c, Frame f, Tree t) {
    Tx tx = f.txId() == 0 ? null : c.txs.get(f.txId());
    return tx != null && tx.tree == t ? tx : Tree.Recorder.NONE;
  }

  private void change(Conn c, Frame f, java.util.function.Function<Tree, Tree.Change> op) {
    Tx tx = tx(c, f);
    if (tx == null) {
      fire(op.apply(tree));
    } else {
      op.apply(tx.tree);
      tx.ops.add(op);
    }
    reply(c, f, OK);
  }

  private void endTransaction(Conn c, Frame f) {
    Tx tx = tx(c, f);
    if (tx == null) {
      throw new XsError("EINVAL");
    }
    String arg = oneArg(f);
    if (!arg.equals("T") && !arg.equals("F")) {
      throw new XsError("EINVAL");
    }
    c.txs.remove(f.txId());
    if (arg.equals("T")) {
      for (Map.Entry<String, Long> e : tx.touched.entrySet()) {
        Node now = tree.find(e.getKey());
        if ((now == null ? -1 : now.gen) != e.getValue()) {
          conflicts.incrementAndGet();
          throw new XsError("EAGAIN");
        }
      }
      // nothing the transaction looked at changed: replaying its operations gives its result
      for (var op : tx.ops) {
        fire(op.apply(tree));
      }
      commits.incrementAndGet();
    }
    reply(c, f, OK);
  }

  private void directoryPart(Conn c, Frame f) {
    List<String> parts = strings(f);
    if (parts.size() != 2 || !parts.get(1).matches("[0-9]{1,9}")) {
      throw new XsError("EINVAL");
    }
    String p = path(c, parts.get(0));
    Tx tx = tx(c, f);
    Tree t = tx == null ? tree : tx.tree;
    List<String> names = t.directory(c.domid, p, tx == null ? Tree.Recorder.NONE : tx);
    byte[] all = Frame.strings(names.toArray(String[]::new));
    int off = Integer.parseInt(parts.get(1));
    if (off > all.length) {
      throw new XsError("EINVAL");
    }
    byte[] gen = Frame.strings(Long.toString(t.find(p).gen));
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
    reply(c, f, b.array());
  }

  private void watch(Conn c, Frame f) {
    List<String> parts = strings(f);
    if (parts.size() != 2) {
      throw new XsError("EINVAL");
    }
    String given = parts.get(0);
    String token = parts.get(1);
    String abs = watchPath(c, given);
    for (Watch w : c.watches) {
      if (w.abs.equals(abs) && w.token.equals(token)) {
        throw new XsError("EEXIST");
      }
    }
    if (c.watches.size() >= maxWatches) {
      throw new XsError("E2BIG");
    }
    c.watches.add(new Watch(given, abs, token, !given.startsWith("/") && !given.startsWith("@")));
    // reply without the transaction id: watches live outside transactions
    c.send(Frame.of(XsType.WATCH, f.reqId(), 0, OK));
    c.send(Frame.of(XsType.WATCH_EVENT, 0, 0, Frame.strings(given, token)));
  }

  private void fire(Tree.Change ch) {
    if (ch == null) {
      return;
    }
    for (Conn c : conns) {
      if (c.dead) {
        continue;
      }
      for (Watch w : c.watches) {
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
        if (c.domid != 0 && ch.perms() != null
            && !new Node(new byte[0], ch.perms(), 0).accessOf(c.domid).canRead()) {
          continue;
        }
        String shown = w.relative && hit.startsWith(homePath() + "/")
            ? hit.substring(homePath().length() + 1) : hit;
        c.send(Frame.of(XsType.WATCH_EVENT, 0, 0, Frame.strings(shown, w.token)));
      }
    }
  }

  private static boolean isAtOrBelow(String path, String top) {
    return path.equals(top) || top.equals("/")
        || (path.startsWith(top) && path.charAt(top.length()) == '/');
  }

  private Tx tx(Conn c, Frame f) {
    if (f.txId() == 0) {
      return null;
    }
    Tx tx = c.txs.get(f.txId());
    if (tx == null) {
      throw new XsError("ENOENT");
    }
    return tx;
  }

  private void reply(Conn c, Frame f, byte[] body) {
    c.send(new Frame(f.type(), f.reqId(), f.txId(), body));
  }

  private String path(Conn c, String given) {
    if (XsPaths.problem(given) != null || given.startsWith("@")) {
      throw new XsError("EINVAL");
    }
    String abs = given.startsWith("/") ? given : homePath() + "/" + given;
    if (abs.length() > XsPaths.ABS_MAX) {
      throw new XsError("EINVAL");
    }
    return abs;
  }

  private String watchPath(Conn c, String given) {
    if (given.startsWith("@")) {
      if (!given.equals("@introduceDomain") && !given.equals("@releaseDomain")) {
        throw new XsError("EINVAL");
      }
      return given;
    }
    return path(c, given);
  }

  /** The single NUL-terminated string a one-argument request carries. */
  private static String oneArg(Frame f) {
    byte[] p = f.payload();
    int nul = indexOfNul(p);
    if (nul < 0 || nul != p.length - 1) {
      throw new XsError("EINVAL");
    }
    return new String(p, 0, nul, StandardCharsets.UTF_8);
  }

  /** NUL-terminated strings; a payload not ending in NUL is malformed. */
  private static List<String> strings(Frame f) {
    byte[] p = f.payload();
    if (p.length == 0 || p[p.length - 1] != 0) {
      throw new XsError("EINVAL");
    }
    return Frame.split(p);
  }

  private static int indexOfNul(byte[] p) {
    for (int i = 0; i < p.length; i++) {
      if (p[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
