package org.virthooks.xen;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.virthooks.xen.internal.DeviceChannel;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.XsPaths;
import org.virthooks.xen.internal.XsType;

/**
 * A xenstore client speaking the wire protocol over a Unix socket (or the xenbus device).
 * Thread-safe: requests from several threads are in flight at once and replies are matched to
 * them by {@code req_id}; one reader thread takes replies and watch events off the connection.
 * Every request waits at most the configured timeout. Arguments are checked before anything is
 * sent: path characters and length, payloads of at most 4096 bytes.
 */
public final class XenstoreClient implements Xenstore, AutoCloseable {
  /** How long a request waits for its reply unless configured otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** How many times {@link #transaction} runs a body that keeps conflicting. */
  public static final int DEFAULT_TRANSACTION_ATTEMPTS = 16;

  private final XenstoreAddress address;
  private final ByteChannel channel;
  private final Duration timeout;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicInteger nextReq = new AtomicInteger(1);
  private final AtomicInteger nextToken = new AtomicInteger(1);
  private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
  private final Map<String, XenstoreWatch> watches = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile IOException failure;
  private volatile boolean closed;

  private XenstoreClient(XenstoreAddress address, ByteChannel channel, Duration timeout) {
    this.address = address;
    this.channel = channel;
    this.timeout = timeout;
    this.reader = new Thread(this::readLoop, "virthooks-xenstore-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects where the process environment says ({@link XenstoreAddress#resolve()}). */
  public static XenstoreClient open() throws IOException {
    return connect(XenstoreAddress.resolve(), DEFAULT_TIMEOUT);
  }

  /** Connects where {@code env} says ({@code XENSTORED_PATH}, {@code XENSTORED_RUNDIR}). */
  public static XenstoreClient open(Map<String, String> env) throws IOException {
    return connect(XenstoreAddress.resolve(env), DEFAULT_TIMEOUT);
  }

  /** Connects to the Unix socket at {@code socket}. */
  public static XenstoreClient connect(java.nio.file.Path socket) throws IOException {
    return connect(XenstoreAddress.socket(socket), DEFAULT_TIMEOUT);
  }

  /** Connects to {@code address}; each request waits at most {@code timeout} for its reply. */
  public static XenstoreClient connect(XenstoreAddress address, Duration timeout)
      throws IOException {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    ByteChannel ch;
    try {
      ch = address.device()
          ? new DeviceChannel(address.path())
          : SocketChannel.open(UnixDomainSocketAddress.of(address.path()));
    } catch (IOException e) {
      throw new IOException("cannot connect to xenstore at " + address.path() + " ("
          + (address.device() ? "device" : "socket") + "): " + e.getMessage()
          + "; set XENSTORED_PATH to the daemon's socket", e);
    }
    return new XenstoreClient(address, ch, timeout);
  }

  /** Where this client is connected. */
  public XenstoreAddress address() {
    return address;
  }

  @Override
  public byte[] readBytes(String path) throws IOException {
    return call(XsType.READ, 0, Frame.strings(XsPaths.check(path)), "read " + path).payload();
  }

  @Override
  public void write(String path, byte[] value) throws IOException {
    write(0, path, value);
  }

  @Override
  public void mkdir(String path) throws IOException {
    call(XsType.MKDIR, 0, Frame.strings(XsPaths.check(path)), "mkdir " + path);
  }

  @Override
  public void rm(String path) throws IOException {
    call(XsType.RM, 0, Frame.strings(XsPaths.check(path)), "rm " + path);
  }

  @Override
  public List<String> directory(String path) throws IOException {
    return directory(0, path);
  }

  @Override
  public List<XsPermission> getPermissions(String path) throws IOException {
    return getPermissions(0, path);
  }

  @Override
  public void setPermissions(String path, List<XsPermission> permissions) throws IOException {
    setPermissions(0, path, permissions);
  }

  /** The home path of domain {@code domid}: {@code /local/domain/<domid>}. */
  public String getDomainPath(int domid) throws IOException {
    return call(XsType.GET_DOMAIN_PATH, 0, Frame.strings(Integer.toString(domid)),
        "get-domain-path " + domid).firstString();
  }

  /**
   * Sets a watch. The daemon fires it once at once, then for every change of the node, of a node
   * below it, or of its removal.
   *
   * @param path a node path, or a special name such as {@code @releaseDomain}
   * @param token the token events carry; unique within this client
   */
  public XenstoreWatch watch(String path, String token) throws IOException {
    XsPaths.check(path);
    if (token == null || token.isEmpty() || token.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("watch token must be non-empty text without NUL: '"
          + token + "'");
    }
    XenstoreWatch w = new XenstoreWatch(this, path, token);
    // register before asking: the first event follows the reply at once on the same connection
    if (watches.putIfAbsent(token, w) != null) {
      throw new IllegalArgumentException("watch token '" + token + "' is already in use");
    }
    try {
      call(XsType.WATCH, 0, Frame.strings(path, token), "watch " + path);
    } catch (IOException | RuntimeException e) {
      watches.remove(token, w);
      throw e;
    }
    return w;
  }

  /** Sets a watch with a token of this client's choosing. */
  public XenstoreWatch watch(String path) throws IOException {
    return watch(path, "virthooks-" + nextToken.getAndIncrement());
  }

  void unwatch(XenstoreWatch w) throws IOException {
    try {
      if (!closed) {
        call(XsType.UNWATCH, 0, Frame.strings(w.path(), w.token()), "unwatch " + w.path());
      }
    } finally {
      watches.remove(w.token(), w);
    }
  }

  /** Starts a transaction; close it without commit to abort it. */
  public XenstoreTransaction beginTransaction() throws IOException {
    Frame r = call(XsType.TRANSACTION_START, 0, new byte[] {0}, "transaction start");
    String id = r.firstString();
    try {
      return new XenstoreTransaction(this, Integer.parseUnsignedInt(id));
    } catch (NumberFormatException e) {
      throw new IOException("xenstore answered transaction start with '" + id + "'", e);
    }
  }

  /** The body of a transaction; it may run several times, so keep it free of other effects. */
  @FunctionalInterface
  public interface TransactionBody<T> {
    /** Runs the operations on {@code tx}. */
    T run(Xenstore tx) throws IOException;
  }

  /**
   * Runs {@code body} in a transaction and commits it, starting again when the commit conflicts
   * ({@code EAGAIN}), at most {@link #DEFAULT_TRANSACTION_ATTEMPTS} times.
   */
  public <T> T transaction(TransactionBody<T> body) throws IOException {
    return transaction(DEFAULT_TRANSACTION_ATTEMPTS, body);
  }

  /** As {@link #transaction(TransactionBody)} with at most {@code attempts} runs. */
  public <T> T transaction(int attempts, TransactionBody<T> body) throws IOException {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    XenstoreException last = null;
    for (int i = 0; i < attempts; i++) {
      try (XenstoreTransaction tx = beginTransaction()) {
        T result = body.run(tx);
        try {
          tx.commit();
          return result;
        } catch (XenstoreException e) {
          if (!e.isConflict()) {
            throw e;
          }
          last = e;
        }
      }
    }
    throw new XenstoreException("EAGAIN", "transaction still conflicting after " + attempts
        + " attempts (last: " + last.getMessage() + ")");
  }

  void write(int tx, String path, byte[] value) throws IOException {
    byte[] p = Frame.strings(XsPaths.check(path));
    byte[] payload = new byte[p.length + value.length];
    System.arraycopy(p, 0, payload, 0, p.length);
    System.arraycopy(value, 0, payload, p.length, value.length);
    call(XsType.WRITE, tx, payload, "write " + path);
  }

  List<String> directory(int tx, String path) throws IOException {
    return Frame.split(call(XsType.DIRECTORY, tx, Frame.strings(XsPaths.check(path)),
        "directory " + path).payload());
  }

  List<XsPermission> getPermissions(int tx, String path) throws IOException {
    List<XsPermission> out = new ArrayList<>();
    for (String s : Frame.split(call(XsType.GET_PERMS, tx, Frame.strings(XsPaths.check(path)),
        "get-perms " + path).payload())) {
      out.add(XsPermission.parse(s));
    }
    return out;
  }

  void setPermissions(int tx, String path, List<XsPermission> permissions) throws IOException {
    XsPaths.check(path);
    if (permissions == null || permissions.isEmpty()) {
      throw new IllegalArgumentException("a permission list needs at least the owner's entry");
    }
    String[] parts = new String[permissions.size() + 1];
    parts[0] = path;
    for (int i = 0; i < permissions.size(); i++) {
      parts[i + 1] = permissions.get(i).toString();
    }
    call(XsType.SET_PERMS, tx, Frame.strings(parts), "set-perms " + path);
  }

  /** Sends one request and waits for its reply; an ERROR reply becomes a XenstoreException. */
  Frame call(XsType type, int tx, byte[] payload, String what) throws IOException {
    if (payload.length > Frame.PAYLOAD_MAX) {
      throw new IllegalArgumentException(what + ": payload of " + payload.length
          + " bytes is more than xenstore's limit of " + Frame.PAYLOAD_MAX);
    }
    checkOpen();
    int req = nextReq.getAndIncrement();
    CompletableFuture<Frame> f = new CompletableFuture<>();
    pending.put(req, f);
    try {
      writeLock.lock();
      try {
        Frame.of(type, req, tx, payload).writeTo(channel);
      } finally {
        writeLock.unlock();
      }
      Frame r = await(f, what);
      if (r.type() == XsType.ERROR.code()) {
        throw new XenstoreException(r.firstString(), what);
      }
      if (r.type() != type.code()) {
        IOException e = new IOException(what + ": xenstore answered with " + r + " to a "
            + type + " request");
        fail(e);
        throw e;
      }
      return r;
    } catch (IOException e) {
      if (failure == null && !(e instanceof XenstoreException)
          && !(e instanceof SocketTimeoutException)) {
        fail(e);
      }
      throw e;
    } finally {
      pending.remove(req);
    }
  }

  private Frame await(CompletableFuture<Frame> f, String what) throws IOException {
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new SocketTimeoutException(what + ": no reply from xenstore at " + address.path()
          + " within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(what + ": interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? new IOException(what + ": " + io.getMessage(), io)
          : new IOException(what + ": " + c, c);
    }
  }

  private void checkOpen() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException("xenstore connection is broken: " + f.getMessage(), f);
    }
    if (closed) {
      throw new IOException("xenstore client is closed");
    }
  }

  private void readLoop() {
    ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
    try {
      while (true) {
        Frame f = Frame.read(channel, header, Frame.PAYLOAD_MAX);
        if (f == null) {
          throw new IOException("xenstore closed the connection");
        }
        if (f.type() == XsType.WATCH_EVENT.code()) {
          List<String> parts = Frame.split(f.payload());
          if (parts.size() >= 2) {
            XenstoreWatch w = watches.get(parts.get(1));
            if (w != null) {
              w.offer(new WatchEvent(parts.get(0), parts.get(1)));
            }
          }
          continue;
        }
        CompletableFuture<Frame> waiter = pending.get(f.reqId());
        if (waiter != null) {
          waiter.complete(f);
        }
      }
    } catch (IOException e) {
      fail(closed ? new IOException("xenstore client is closed") : e);
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    pending.values().forEach(f -> f.completeExceptionally(e));
    watches.values().forEach(XenstoreWatch::broken);
    if (!closed) {
      closeChannel();
    }
  }

  private void closeChannel() {
    try {
      channel.close();
    } catch (IOException e) {
      // the connection is gone either way
    }
  }

  /** Closes the connection; requests in flight fail and watches end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeChannel();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
