package org.virthooks.core.relay;

import com.google.common.collect.ImmutableSet;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.RelayWire;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * Answers hook-script calls relayed over a Unix domain socket by the small client that virthooks
 * installs in place of a hook script, so that the hooks run in the management tool's long-running
 * JVM instead of a fresh JVM per call.
 *
 * <p>Security: the socket file is made mode 0600 (its directory 0700 when the server creates it;
 * see {@link Builder#shareWithGroup} for other users),
 * and every connection's peer is checked with {@code SO_PEERCRED}: only the users named in
 * {@link Builder#allowUsers} (by default root and the JVM's own user) are answered. A client
 * that does not send a complete request within the read timeout is disconnected. Requests are
 * bounded in size (see {@link RelayWire}).
 */
public final class RelayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

  private final Path socket;
  private final RelayHandler handler;
  private final Set<String> allowedUsers;
  private final Duration readTimeout;
  private final ServerSocketChannel server;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final Thread acceptor;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile boolean closed;

  private RelayServer(Builder b) throws IOException {
    this.socket = b.socket;
    this.handler = b.handler;
    this.allowedUsers = b.allowedUsers;
    this.readTimeout = b.readTimeout;
    prepareSocketPath(socket, b.group);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket,
          PosixFilePermissions.fromString(b.group == null ? "rw-------" : "rw-rw----"));
      if (b.group != null) {
        setGroup(socket, b.group);
      }
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
    }
    this.workers = new ThreadPoolExecutor(0, b.maxConcurrent, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        new ThreadFactoryBuilder().setNameFormat("virthooks-relay-%d").setDaemon(true).build());
    java.util.concurrent.ScheduledThreadPoolExecutor t =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1,
            new ThreadFactoryBuilder().setNameFormat("virthooks-relay-timer").setDaemon(true).build());
    t.setRemoveOnCancelPolicy(true); // one watchdog per call: do not let cancelled ones pile up
    this.timer = t;
    this.acceptor = new Thread(this::acceptLoop, "virthooks-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
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

  /** Connections turned away so far (peer not allowed, malformed or late requests, overload). */
  public long rejected() {
    return rejected.get();
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
    if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      int mode = (Integer) Files.getAttribute(socket, "unix:mode",
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
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

  private void acceptLoop() {
    long backoffMillis = 10;
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
        backoffMillis = 10;
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // out of file descriptors or similar: say so, and do not spin on it
        LOG.warn("relay accept failed on {}: {}", socket, e.getMessage());
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          return;
        }
        backoffMillis = Math.min(1000, backoffMillis * 2);
        continue;
      }
      try {
        workers.execute(() -> serve(ch));
      } catch (RejectedExecutionException e) {
        rejected.incrementAndGet();
        answerAndClose(ch, ScriptResult.failed(1,
            "virthooks relay: too many concurrent calls, refusing"));
      }
    }
  }

  private void serve(SocketChannel ch) {
    ScheduledFuture<?> watchdog;
    try {
      watchdog = timer.schedule(() -> closeQuietly(ch), readTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closeQuietly(ch); // closing down
      return;
    }
    try (ch) {
      String peer = peerUser(ch);
      if (peer == null || !allowedUsers.contains(peer)) {
        rejected.incrementAndGet();
        LOG.warn("relay {} refused a connection from user {}", socket, peer);
        watchdog.cancel(false);
        return;
      }
      InputStream in = Channels.newInputStream(ch);
      ScriptInvocation call;
      try {
        call = RelayWire.readRequest(in);
      } catch (IOException e) {
        rejected.incrementAndGet();
        LOG.warn("relay {}: bad request: {}", socket, e.getMessage());
        return;
      }
      if (!watchdog.cancel(false)) {
        return; // the read timeout fired and closed the connection: nobody to answer
      }
      ScriptResult result;
      try {
        result = handler.handle(call);
        if (result == null) {
          result = ScriptResult.failed(1, "virthooks relay: the handler gave no answer");
        }
      } catch (Exception | LinkageError e) {
        if (closed) {
          return; // interrupted by close(): the client's policy answers
        }
        LOG.warn("relay handler failed for {}", call.argv(), e);
        result = ScriptResult.failed(1, "virthooks: " + (e.getMessage() == null
            ? e.getClass().getName() : e.getMessage()));
      }
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 65536);
      RelayWire.writeResponse(out, result);
      served.incrementAndGet();
    } catch (IOException e) {
      if (!closed) {
        LOG.debug("relay connection ended early", e);
      }
    } finally {
      watchdog.cancel(false);
    }
  }

  private static String peerUser(SocketChannel ch) {
    try {
      UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      return p.user().getName();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static void answerAndClose(SocketChannel ch, ScriptResult r) {
    try (ch) {
      RelayWire.writeResponse(Channels.newOutputStream(ch), r);
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** Stops listening, removes the socket file and stops every thread; running calls are interrupted. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing relay socket", e);
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("could not remove relay socket {}", socket, e);
    }
    workers.shutdownNow();
    timer.shutdownNow();
    try {
      acceptor.join(5000);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Settings of a {@link RelayServer}. */
  public static final class Builder {
    private final Path socket;
    private final RelayHandler handler;
    private Set<String> allowedUsers =
        ImmutableSet.of("root", System.getProperty("user.name"));
    private Duration readTimeout = Duration.ofSeconds(5);
    private int maxConcurrent = 64;
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

    /** How long a client may take to send its request; default 5 s. */
    public Builder readTimeout(Duration timeout) {
      Checks.notNull("readTimeout", timeout);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive: " + timeout);
      }
      this.readTimeout = timeout;
      return this;
    }

    /** How many calls may run at once before new ones are refused; default 64. */
    public Builder maxConcurrent(int n) {
      this.maxConcurrent = Checks.inRange("maxConcurrent", n, 1, 4096);
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
