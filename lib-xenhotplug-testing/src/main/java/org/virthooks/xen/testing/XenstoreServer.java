package org.virthooks.xen.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  // The protocol is XenstoreSession's (one per connection, over the shared Store); this class is
  // the socket side: binding, accepting, the connection cap, and writing what sessions queue.
  private static final Logger LOG = LoggerFactory.getLogger(XenstoreServer.class);
  /** Connections served at once unless {@link Builder#maxConnections} says otherwise. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** Quiet time before a connection's slot may be taken, unless the builder says otherwise. */
  public static final Duration DEFAULT_EVICT_IDLE_AFTER = Duration.ofSeconds(10);
  /** At most one warning per this period about a full server, however many connections. */
  private static final long FULL_LOG_PERIOD = TimeUnit.SECONDS.toNanos(1);

  private final Path socket;
  private final Store store;
  private final int connectionDomain;
  private final XenstoreSession.Limits limits;
  private final int maxConnections;
  private final long evictIdleAfterNanos;
  /** One permit per connection thread, given back when the thread ends. */
  private final Semaphore slots;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private final Set<XenstoreConnection> conns = ConcurrentHashMap.newKeySet();
  private final XenstoreConnection.Owner owner = new ConnectionOwner();
  private final AtomicLong requests = new AtomicLong();
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
    this.store = new Store(b.homeDomain);
    this.connectionDomain = b.connectionDomain;
    this.limits = new XenstoreSession.Limits(b.maxTransactions, b.maxWatches);
    this.maxConnections = b.maxConnections;
    this.evictIdleAfterNanos = b.evictIdleAfter.toNanos();
    this.slots = new Semaphore(maxConnections);
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
    return store.homePath();
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
    return store.commitCount();
  }

  /** Commits refused with {@code EAGAIN} so far. */
  public long conflictCount() {
    return store.conflictCount();
  }

  /** The value of a node, read directly (absolute or relative path), for test assertions. */
  public Optional<String> read(String path) {
    return store.read(path);
  }

  /** Writes a node directly as domain 0, firing watches, for test set-up. */
  public void write(String path, String value) {
    store.write(path, value);
    flushAll();
  }

  /** Removes a node directly, firing watches, for test set-up. */
  public void rm(String path) {
    store.rm(path);
    flushAll();
  }

  /** Every node at and below {@code path} with its value, in tree order. */
  public Map<String, String> dump(String path) {
    return store.dump(path);
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
      XenstoreConnection c = new XenstoreConnection(ch, store, connectionDomain, limits, owner);
      conns.add(c);
      c.start();
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
    XenstoreConnection quietest = null;
    for (XenstoreConnection c : conns) {
      if (quietest == null || c.lastRequest() - quietest.lastRequest() < 0) {
        quietest = c;
      }
    }
    if (quietest == null || System.nanoTime() - quietest.lastRequest() < evictIdleAfterNanos) {
      return false;
    }
    quietest.close();
    evictedSinceLog++;
    reportFull(false);
    // its thread ends before the newcomer's starts, so there are never more than the limit
    quietest.join(Duration.ofSeconds(1));
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
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reportFull(true);
    for (XenstoreConnection c : List.copyOf(conns)) {
      c.close();
      c.join(Duration.ofSeconds(5));
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("could not remove {}", socket, e);
    }
  }

  /** Writes every connection's queue: a request may have queued watch events for any of them. */
  private void flushAll() {
    for (XenstoreConnection c : conns) {
      c.flush();
    }
  }

  private final class ConnectionOwner implements XenstoreConnection.Owner {
    @Override
    public void answered() {
      requests.incrementAndGet();
      flushAll();
    }

    @Override
    public void closed(XenstoreConnection c) {
      conns.remove(c);
    }

    @Override
    public void ended(XenstoreConnection c) {
      slots.release();
    }
  }
}
