package org.virthooks.core.relay;

import com.google.common.collect.ImmutableSet;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.RelayRequestDecoder;
import org.virthooks.core.internal.RelayWire;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * Answers hook-script calls relayed over a Unix domain socket by the small client that virthooks
 * installs in place of a hook script, so that the hooks run in the management tool's long-running
 * JVM instead of a fresh JVM per call.
 *
 * <p>No call is turned away for being busy: requests are read on one thread from every
 * connection at once (a silent or slow peer holds no thread, only a file descriptor, and is cut
 * after the read timeout), and complete requests wait their turn for one of
 * {@link Builder#maxConcurrent} handler threads. Every request is read to its end before it is
 * answered, so that the client, which writes before it reads, always receives the answer: a
 * standard input over {@link DocumentLimit} is read and discarded and the call refused with a
 * message naming the limit. The memory held for requests is bounded
 * ({@link Builder#maxBufferedBytes}: further requests wait to be read), and so are the
 * connections open at once ({@link Builder#maxConnections}: further ones wait in the socket's
 * backlog).
 *
 * <p>Security: the socket file is made mode 0600 (its directory 0700 when the server creates it;
 * see {@link Builder#shareWithGroup} for other users),
 * and every connection's peer is checked with {@code SO_PEERCRED}: only the users named in
 * {@link Builder#allowUsers} (by default root and the JVM's own user) are answered. Requests are
 * bounded in size (see {@link RelayWire}).
 */
public final class RelayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final int BACKLOG = 4096;

  private final Path socket;
  private final RelayHandler handler;
  private final Set<String> allowedUsers;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final int maxConnections;
  private final long maxBufferedBytes;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final Thread loop;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicInteger open = new AtomicInteger();
  // touched by the loop thread only
  private final Set<Connection> reading = new HashSet<>();
  private final List<Connection> waitingForMemory = new ArrayList<>();
  // handed to the workers: closed by close() when the workers never got to them
  private final Set<Connection> handedOff = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private long acceptPausedUntil;
  private long lastWarning;
  private int warningsHeld;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private SelectionKey acceptKey;
  private volatile boolean closed;

  private RelayServer(Builder b) throws IOException {
    this.socket = b.socket;
    this.handler = b.handler;
    this.allowedUsers = withUids(b.allowedUsers);
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.readTimeout.compareTo(Duration.ofSeconds(10)) > 0 ? b.readTimeout
        : Duration.ofSeconds(10);
    this.maxConnections = b.maxConnections;
    this.maxBufferedBytes = b.maxBufferedBytes;
    prepareSocketPath(socket, b.group);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket), BACKLOG);
      Files.setPosixFilePermissions(socket,
          PosixFilePermissions.fromString(b.group == null ? "rw-------" : "rw-rw----"));
      if (b.group != null) {
        setGroup(socket, b.group);
      }
      server.configureBlocking(false);
      this.selector = Selector.open();
      this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
    }
    this.workers = new ThreadPoolExecutor(b.maxConcurrent, b.maxConcurrent, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        new ThreadFactoryBuilder().setNameFormat("virthooks-relay-%d").setDaemon(true).build());
    workers.allowCoreThreadTimeOut(true);
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
        new ThreadFactoryBuilder().setNameFormat("virthooks-relay-timer").setDaemon(true).build());
    t.setRemoveOnCancelPolicy(true); // one write watchdog per call: do not let cancelled ones pile up
    this.timer = t;
    this.loop = new Thread(this::loop, "virthooks-relay-loop");
    loop.setDaemon(true);
    loop.start();
  }

  /** Starts building a server listening on {@code socket} and answering with {@code handler}. */
  public static Builder builder(Path socket, RelayHandler handler) {
    return new Builder(socket, handler);
  }

  /** The socket path. */
  public Path socket() {
    return socket;
  }

  /** Calls answered so far. */
  public long served() {
    return served.get();
  }

  /** Connections turned away so far (peer not allowed, malformed or late requests). */
  public long rejected() {
    return rejected.get();
  }

  /** Connections open now: being read, waiting for a handler, or being answered. */
  public int openConnections() {
    return open.get();
  }

  private static void prepareSocketPath(Path socket, String group) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString(group == null ? "rwx------" : "rwx--x---")));
      if (group != null) {
        setGroup(dir, group);
      }
    }
    if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if ((mode & 0170000) != 0140000) {
        throw new IOException(socket + " exists and is not a socket; not replacing it");
      }
      try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        throw new IOException("another relay server is listening on " + socket);
      } catch (java.net.ConnectException refused) {
        // nobody listens: a stale socket from a previous run
        Files.delete(socket);
      }
    }
  }

  private static void setGroup(Path p, String group) throws IOException {
    java.nio.file.attribute.GroupPrincipal g = p.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByGroupName(group);
    Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(g);
  }

  /** One connection while its request is read, then while it waits for and gets its answer. */
  private static final class Connection {
    final SocketChannel channel;
    final RelayRequestDecoder decoder;
    long deadline;
    ByteBuffer pending;

    Connection(SocketChannel channel, RelayRequestDecoder decoder, long deadline) {
      this.channel = channel;
      this.decoder = decoder;
      this.deadline = deadline;
    }
  }

  private void loop() {
    List<Connection> complete = new ArrayList<>();
    try {
      while (!closed) {
        try {
          selector.select(this::ready, waitMillis());
          resumeWaitingForMemory();
          for (Connection c : reading) {
            if (c.decoder.complete()) {
              complete.add(c);
            }
          }
          if (!complete.isEmpty()) {
            handOff(complete);
            complete.clear();
          }
          expire();
          if (acceptKey.interestOps() == 0 && open.get() < maxConnections
              && System.nanoTime() - acceptPausedUntil >= 0) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
          }
        } catch (Throwable t) {
          // the loop must not die: a server that stops reading but keeps its socket would
          // leave every client waiting; one that closed it would read as unreachable (fail open)
          if (closed) {
            break;
          }
          for (Connection c : complete) {
            drop(c);
          }
          complete.clear();
          LOG.error("relay {}: the reading loop failed; going on", socket, t);
          pause(100);
        }
      }
    } finally {
      for (Connection c : reading) {
        drop(c);
      }
      for (Connection c : waitingForMemory) {
        drop(c);
      }
      reading.clear();
      waitingForMemory.clear();
      closeQuietly(server);
      closeQuietly(selector);
    }
  }

  private long waitMillis() {
    long next = Long.MAX_VALUE;
    for (Connection c : reading) {
      next = Math.min(next, c.deadline);
    }
    for (Connection c : waitingForMemory) {
      next = Math.min(next, c.deadline);
    }
    if (acceptKey.interestOps() == 0 && open.get() < maxConnections) {
      next = Math.min(next, acceptPausedUntil);
    }
    if (next == Long.MAX_VALUE) {
      return 0; // nothing to time out: wait for the next event
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()) + 1);
  }

  private void ready(SelectionKey key) {
    if (key == acceptKey) {
      accept();
    } else if (key.isValid() && key.isReadable()) {
      Connection c = (Connection) key.attachment();
      try {
        read(c, key);
      } catch (Throwable t) {
        // out of memory for one request, say: that connection fails, the others go on
        fail(c, "reading the request failed: " + t);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A warning at most once a second, with the count of those held back. */
  private void warn(String format, Object... args) {
    long now = System.nanoTime();
    if (now - lastWarning < 1_000_000_000L && lastWarning != 0) {
      warningsHeld++;
      return;
    }
    lastWarning = now;
    if (warningsHeld > 0) {
      LOG.warn("relay {}: {} more warnings in the last second", socket, warningsHeld);
      warningsHeld = 0;
    }
    LOG.warn(format, args);
  }

  private void accept() {
    while (open.get() < maxConnections) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        // out of file descriptors or similar: stop accepting for a moment rather than spin on
        // a listening socket that stays ready; the backlog holds the callers meanwhile
        warn("relay accept failed on {}: {}", socket, e.getMessage());
        acceptPausedUntil = System.nanoTime() + 100_000_000L;
        acceptKey.interestOps(0);
        return;
      }
      if (ch == null) {
        return;
      }
      String peer = peerUser(ch);
      if (peer == null || !allowedUsers.contains(peer)) {
        rejected.incrementAndGet();
        warn("relay {} refused a connection from user {}", socket, peer);
        closeQuietly(ch);
        continue;
      }
      try {
        ch.configureBlocking(false);
        Connection c = new Connection(ch, new RelayRequestDecoder(this::reserve),
            System.nanoTime() + readTimeout.toNanos());
        ch.register(selector, SelectionKey.OP_READ, c);
        open.incrementAndGet();
        reading.add(c);
      } catch (IOException e) {
        closeQuietly(ch);
      }
    }
    // at the cap: leave further connections in the backlog until one ends
    acceptKey.interestOps(0);
  }

  private void read(Connection c, SelectionKey key) {
    readBuffer.clear();
    int n;
    try {
      n = c.channel.read(readBuffer);
    } catch (IOException e) {
      fail(c, "connection failed while reading: " + e.getMessage());
      return;
    }
    if (n < 0) {
      fail(c, "the client closed the connection after " + describe(c) + " of its request");
      return;
    }
    readBuffer.flip();
    c.decoder.feed(readBuffer);
    if (c.decoder.failure() != null) {
      fail(c, "bad request: " + c.decoder.failure());
    } else if (c.decoder.waitingForMemory()) {
      c.pending = ByteBuffer.allocate(readBuffer.remaining()).put(readBuffer).flip();
      key.interestOps(0);
      reading.remove(c);
      waitingForMemory.add(c);
    }
  }

  private static String describe(Connection c) {
    return c.decoder.declaredStdin() < 0 ? "the start" : "part";
  }

  private void fail(Connection c, String why) {
    rejected.incrementAndGet();
    warn("relay {}: {}", socket, why);
    reading.remove(c);
    waitingForMemory.remove(c);
    drop(c);
  }

  private void expire() {
    long now = System.nanoTime();
    List<Connection> late = new ArrayList<>();
    for (Connection c : reading) {
      if (now - c.deadline >= 0) {
        late.add(c);
      }
    }
    // waiting for memory does not stop the clock: a peer that declares a large document and
    // sends nothing holds its reservation no longer than anyone else
    for (Connection c : waitingForMemory) {
      if (now - c.deadline >= 0) {
        late.add(c);
      }
    }
    for (Connection c : late) {
      fail(c, "no complete request within " + readTimeout.toMillis() + " ms; connection closed");
    }
  }

  private boolean reserve(int bytes) {
    while (true) {
      long used = buffered.get();
      if (used > 0 && used + bytes > maxBufferedBytes) {
        return false;
      }
      if (buffered.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  private void resumeWaitingForMemory() {
    // in order of arrival, but one that does not fit yet does not hold back smaller ones
    for (java.util.Iterator<Connection> it = waitingForMemory.iterator(); it.hasNext(); ) {
      Connection c = it.next();
      if (!c.decoder.resume()) {
        continue;
      }
      it.remove();
      c.decoder.feed(c.pending);
      c.pending = null;
      reading.add(c);
      SelectionKey key = c.channel.keyFor(selector);
      if (key != null && key.isValid()) {
        key.interestOps(SelectionKey.OP_READ);
      } else {
        fail(c, "connection lost while waiting for memory");
      }
    }
  }

  private void handOff(List<Connection> complete) throws IOException {
    for (Connection c : complete) {
      reading.remove(c);
      c.channel.keyFor(selector).cancel();
    }
    selector.selectNow(); // deregisters the cancelled keys, so the channels may block again
    for (Connection c : complete) {
      try {
        c.channel.configureBlocking(true);
        handedOff.add(c);
        workers.execute(() -> answer(c));
      } catch (IOException | RejectedExecutionException e) {
        handedOff.remove(c);
        drop(c); // closing down: the client refuses a lost connection at decision points
      }
    }
  }

  private void answer(Connection c) {
    ScheduledFuture<?> watchdog = null;
    try (SocketChannel ch = c.channel) {
      ScriptResult result;
      List<String> argv = c.decoder.argv();
      if (c.decoder.overLimit()) {
        result = ScriptResult.failed(1, "virthooks: "
            + DocumentLimit.overLimit(c.decoder.declaredStdin()) + "; refusing\n");
        LOG.warn("relay {}: refused {}: {}", socket, argv,
            DocumentLimit.overLimit(c.decoder.declaredStdin()));
      } else {
        ScriptInvocation call = c.decoder.invocation();
        try {
          result = handler.handle(call);
          if (result == null) {
            result = ScriptResult.failed(1, "virthooks relay: the handler gave no answer; "
                + "refusing\n");
          }
        } catch (Throwable e) {
          if (closed) {
            return; // interrupted by close(): the client refuses a lost connection
          }
          LOG.warn("relay handler failed for {}", argv, e);
          result = ScriptResult.failed(1, "virthooks relay: the handler failed: "
              + (e.getMessage() == null ? e.getClass().getName() : e.getMessage())
              + "; refusing\n");
        }
      }
      // a client that does not read its answer must not hold this thread
      watchdog = timer.schedule(() -> closeQuietly(ch), writeTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
      RelayWire.writeResponse(new BufferedOutputStream(Channels.newOutputStream(ch), 65536),
          result);
      served.incrementAndGet();
    } catch (IOException | RejectedExecutionException e) {
      if (!closed) {
        LOG.debug("relay connection ended before its answer was written", e);
      }
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
      handedOff.remove(c);
      release(c);
    }
  }

  private void drop(Connection c) {
    closeQuietly(c.channel);
    release(c);
  }

  private void release(Connection c) {
    buffered.addAndGet(-c.decoder.reserved());
    open.decrementAndGet();
    if (!closed) {
      selector.wakeup(); // memory or a connection slot came free
    }
  }

  private static String peerUser(SocketChannel ch) {
    try {
      UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      return p.user().getName();
    } catch (IOException | UnsupportedOperationException e) {
      return null; // no credentials to check: the caller refuses the connection
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /**
   * Stops listening, removes the socket file and stops every thread; calls being answered are
   * interrupted and their clients, having lost the connection, refuse at decision points.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    selector.wakeup();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("could not remove relay socket {}", socket, e);
    }
    workers.shutdownNow();
    timer.shutdownNow();
    // calls still queued for a worker: their clients must not wait out their timeout
    for (Connection c : handedOff) {
      closeQuietly(c.channel);
    }
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The allowed names and their numeric ids from /etc/passwd: SO_PEERCRED gives a uid, and when
   * its name cannot be looked up (no file descriptor left, say) the principal is the number.
   */
  private static Set<String> withUids(Set<String> names) {
    Set<String> all = new HashSet<>(names);
    if (names.contains("root")) {
      all.add("0");
    }
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = line.split(":", -1);
        if (f.length > 2 && names.contains(f[0])) {
          all.add(f[2]);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read /etc/passwd; allowing users by name only", e);
    }
    return Set.copyOf(all);
  }

  /** Settings of a {@link RelayServer}. */
  public static final class Builder {
    private final Path socket;
    private final RelayHandler handler;
    private Set<String> allowedUsers =
        ImmutableSet.of("root", System.getProperty("user.name"));
    private Duration readTimeout = Duration.ofSeconds(5);
    private int maxConcurrent = 64;
    private int maxConnections = 1024;
    private long maxBufferedBytes = 8L * DocumentLimit.MAX_BYTES;
    private String group;

    private Builder(Path socket, RelayHandler handler) {
      this.socket = Checks.notNull("socket", socket);
      this.handler = Checks.notNull("handler", handler);
    }

    /** Users whose calls are answered (by name, checked with SO_PEERCRED); default root and this JVM's user. */
    public Builder allowUsers(Set<String> users) {
      Checks.notNull("users", users);
      if (users.isEmpty()) {
        throw new IllegalArgumentException("allowUsers must name at least one user");
      }
      this.allowedUsers = ImmutableSet.copyOf(users);
      return this;
    }

    /**
     * Makes the socket 0660 and owned by {@code unixGroup} (and a directory the server creates
     * 0710), so that users of that group can connect at all; {@link #allowUsers} still decides
     * whom the server answers. Without it the socket is 0600 and only its owner and root connect.
     */
    public Builder shareWithGroup(String unixGroup) {
      this.group = Checks.notBlank("group", unixGroup);
      return this;
    }

    /**
     * How long a client may take to send its request; default 5 s. A connection silent past it
     * is closed; an answer the client does not read within this (at least 10 s) is abandoned.
     */
    public Builder readTimeout(Duration timeout) {
      Checks.notNull("readTimeout", timeout);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive: " + timeout);
      }
      this.readTimeout = timeout;
      return this;
    }

    /** How many calls are answered at once; further ones wait their turn. Default 64. */
    public Builder maxConcurrent(int n) {
      this.maxConcurrent = Checks.inRange("maxConcurrent", n, 1, 4096);
      return this;
    }

    /**
     * How many connections may be open at once (being read, waiting, being answered); further
     * ones wait in the socket's backlog. Default 1024; each costs a file descriptor, no thread.
     */
    public Builder maxConnections(int n) {
      this.maxConnections = Checks.inRange("maxConnections", n, 1, 65536);
      return this;
    }

    /**
     * How many bytes of standard input may be held for requests at once; further requests wait
     * to be read. Default 256 MiB; at least {@link DocumentLimit#MAX_BYTES}, so that one
     * document of the largest size always fits.
     */
    public Builder maxBufferedBytes(long bytes) {
      if (bytes < DocumentLimit.MAX_BYTES) {
        throw new IllegalArgumentException("maxBufferedBytes must be at least "
            + DocumentLimit.MAX_BYTES + ": " + bytes);
      }
      this.maxBufferedBytes = bytes;
      return this;
    }

    /**
     * Binds the socket and starts answering.
     *
     * @throws IOException when the socket cannot be bound, or another server listens on it
     */
    public RelayServer start() throws IOException {
      return new RelayServer(this);
    }
  }
}
