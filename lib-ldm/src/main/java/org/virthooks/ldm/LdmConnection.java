package org.virthooks.ldm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.ldm.internal.ClientHandshake;
import org.virthooks.ldm.internal.FrameReader;
import org.virthooks.ldm.internal.Stanza;
import org.virthooks.ldm.internal.Xmpp;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;

/**
 * One XMPP/TLS session with ldmd: send any {@code LDM_interface} request and get its response,
 * register for events, receive {@code LDM_event}s on a reader thread. ldmd answers requests in
 * order and responses carry no id, so they are matched first-in first-out; a request that times
 * out therefore closes the connection (a late answer would otherwise be taken for the next one).
 * Thread-safe. {@link #close()} ends the reader thread.
 */
public final class LdmConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LdmConnection.class);

  private final LdmClientConfig config;
  private final SSLSocket socket;
  private final OutputStream out;
  private final FrameReader reader;
  private final LdmXml xml;
  private final Consumer<? super LdmEvent> events;
  private final ArrayDeque<CompletableFuture<LdmInterface>> pending = new ArrayDeque<>();
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  private final Thread readerThread;

  private LdmConnection(LdmClientConfig config, ClientHandshake.Ready ready,
      Consumer<? super LdmEvent> events) throws IOException {
    this.config = config;
    this.socket = ready.socket();
    this.out = socket.getOutputStream();
    this.reader = ready.reader();
    this.xml = LdmXml.withLimits(config.limits());
    this.events = events;
    this.readerThread = new Thread(this::readLoop, "ldm-reader-" + config.address());
    this.readerThread.setDaemon(true);
  }

  /**
   * Connects, secures and (remote mode) authenticates; events received later go to {@code events}
   * on the reader thread, which must not block for long.
   *
   * @throws IOException when connecting, TLS or the login fails; the message says which
   */
  public static LdmConnection open(LdmClientConfig config, Consumer<? super LdmEvent> events)
      throws IOException {
    return open(config, events, socket -> { });
  }

  /**
   * As {@link #open(LdmClientConfig, Consumer)}, handing the TCP socket to {@code connecting}
   * before it connects, so that another thread can close it to abandon the connection at once
   * while it is still being set up.
   */
  static LdmConnection open(LdmClientConfig config, Consumer<? super LdmEvent> events,
      Consumer<? super Socket> connecting) throws IOException {
    Objects.requireNonNull(events, "events");
    if (config.trust().isInsecure()) {
      LOG.warn("INSECURE: connecting to ldmd at {} trusting ANY certificate; use a pin or a trust store",
          config.address());
    }
    char[] pw = config.password();
    ClientHandshake.Ready ready;
    try {
      ready = ClientHandshake.connect(config.host(), config.port(), config.user(), pw,
          config.trust(), (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()),
          config.limits().maxDocumentBytes(), connecting);
    } finally {
      if (pw != null) {
        Arrays.fill(pw, '\0');
      }
    }
    try {
      // after the handshake the reader blocks for as long as ldmd stays quiet
      ready.socket().setSoTimeout(0);
    } catch (IOException e) {
      Xmpp.closeQuietly(ready.socket());
      throw e;
    }
    LdmConnection c = new LdmConnection(config, ready, events);
    c.readerThread.start();
    LOG.debug("connected to ldmd at {} ({})", config.address(), ready.socket().getSession().getProtocol());
    return c;
  }

  /** The configuration this connection was opened with. */
  public LdmClientConfig config() {
    return config;
  }

  /** The negotiated TLS protocol, such as {@code TLSv1.3}. */
  public String tlsProtocol() {
    return socket.getSession().getProtocol();
  }

  /** Sends a request and waits for its response within the configured request timeout. */
  public LdmInterface request(LdmInterface request) throws IOException {
    return request(request, config.requestTimeout());
  }

  /**
   * Sends a request and waits for its response: overall, per-command and per-object status and
   * messages are in the returned document. A failure status is returned, not thrown.
   *
   * @throws IOException when the connection is or becomes closed, or no response comes in time
   *     (the connection is then closed)
   */
  public LdmInterface request(LdmInterface request, Duration timeout) throws IOException {
    byte[] bytes = xml.writeBytes(request);
    CompletableFuture<LdmInterface> f = new CompletableFuture<>();
    synchronized (pending) {
      if (closed.isDone()) {
        throw new IOException("connection to ldmd at " + config.address() + " is closed",
            closed.getNow(null));
      }
      pending.add(f);
      try {
        // under the same lock as the queue so that requests go out in queue order
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        pending.remove(f);
        closeWith(e);
        throw e;
      }
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      IOException io = new IOException("no response from ldmd at " + config.address() + " to "
          + request.firstAction() + " within " + timeout + "; connection closed");
      closeWith(io);
      throw io;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException(c.getMessage(), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for ldmd", e);
    }
  }

  /**
   * Sends {@code action} with an empty {@code <data version="3.0"/>} and checks that every
   * response level says success.
   *
   * @throws LdmRequestException carrying ldmd's {@code resp_msg} when any level says failure
   */
  public LdmInterface requestOrThrow(String action) throws IOException, LdmRequestException {
    LdmInterface r = request(LdmInterface.request(action));
    if (!r.isSuccess()) {
      throw new LdmRequestException(action, r);
    }
    return r;
  }

  /**
   * Registers for each category in turn ({@code reg-domain-events}...).
   *
   * @throws LdmRequestException with ldmd's {@code resp_msg} when one is refused
   */
  public void register(Collection<LdmEventCategory> categories) throws IOException, LdmRequestException {
    for (LdmEventCategory c : categories) {
      requestOrThrow(c.registerAction());
    }
  }

  /** Unregisters each category in turn. */
  public void unregister(Collection<LdmEventCategory> categories) throws IOException, LdmRequestException {
    for (LdmEventCategory c : categories) {
      requestOrThrow(c.unregisterAction());
    }
  }

  /** True until the connection is closed, by either side. */
  public boolean isOpen() {
    return !closed.isDone();
  }

  /** Completes with the reason (null after {@link #close()}) when the connection is closed. */
  public CompletableFuture<Throwable> closedFuture() {
    return closed;
  }

  /** Ends the stream politely, closes the socket and waits for the reader thread to end. */
  @Override
  public void close() {
    if (!closed.isDone()) {
      try {
        synchronized (pending) {
          out.write(Xmpp.STREAM_END.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException ignored) {
        // the socket may already be broken; closing is all that is left
      }
    }
    closeWith(null);
    if (Thread.currentThread() != readerThread) {
      try {
        readerThread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeWith(Throwable why) {
    if (!closed.complete(why)) {
      return;
    }
    Xmpp.closeQuietly(socket);
    IOException failure = new IOException("connection to ldmd at " + config.address() + " closed"
        + (why == null ? "" : ": " + why.getMessage()), why);
    synchronized (pending) {
      for (CompletableFuture<LdmInterface> f : pending) {
        f.completeExceptionally(failure);
      }
      pending.clear();
    }
  }

  private void readLoop() {
    try {
      while (!closed.isDone()) {
        FrameReader.Item item = reader.next();
        if (item instanceof FrameReader.Closed c) {
          closeWith(new IOException(c.why()));
          return;
        }
        if (item instanceof FrameReader.Element e) {
          handle(e);
        }
      }
    } catch (IOException | LdmParseException | RuntimeException e) {
      closeWith(closed.isDone() ? null : e);
    }
  }

  private void handle(FrameReader.Element e) throws IOException {
    switch (e.name()) {
      case "LDM_event" -> {
        LdmEvent ev;
        try {
          ev = xml.readEvent(e.frame().bytes());
        } catch (LdmParseException bad) {
          // the stream is still in step: report this document and carry on with the next
          LOG.warn("ldmd at {} sent a malformed LDM_event, skipped: {}", config.address(),
              bad.shiftedBy(e.frame().line(), e.frame().column()).getMessage());
          return;
        }
        try {
          events.accept(ev);
        } catch (RuntimeException listenerFailure) {
          LOG.warn("event consumer failed on {}", ev.firstAction(), listenerFailure);
        }
      }
      case "LDM_interface" -> {
        CompletableFuture<LdmInterface> f;
        synchronized (pending) {
          f = pending.poll();
        }
        if (f == null) {
          LOG.warn("ldmd at {} sent a response nobody asked for; ignored", config.address());
          return;
        }
        try {
          f.complete(xml.readInterface(e.frame().bytes()));
        } catch (LdmParseException bad) {
          f.completeExceptionally(new IOException("malformed response from ldmd: " + bad.getMessage(), bad));
        }
      }
      case "failure" -> {
        String why;
        try {
          why = Xmpp.failureText(Stanza.parse(e.frame()));
        } catch (LdmParseException bad) {
          why = "";
        }
        throw new IOException("ldmd ended the session with <failure>" + why);
      }
      default -> LOG.debug("ignoring <{}> from ldmd at {}", e.name(), config.address());
    }
  }
}
