package org.virthooks.ldm.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.ldm.LdmClientConfig;
import org.virthooks.ldm.LdmEventCategory;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmTrust;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.internal.FrameReader;
import org.virthooks.ldm.internal.Stanza;
import org.virthooks.ldm.internal.Xmpp;
import org.virthooks.ldm.model.Cmd;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.LdmMessage;
import org.virthooks.ldm.model.Response;

/**
 * An ldmd stand-in on loopback: a real XMPP server with STARTTLS (TLS 1.2+, a self-signed
 * certificate made at start), optional SASL PLAIN users, {@code reg-*}/{@code unreg-*} per
 * category answered at three response levels, events sent only to clients registered for their
 * category, and faults on demand: dropped connections, malformed XML, documents split over many
 * writes, several documents in one write, slow writes. {@code list-domain} is answered from the
 * simulator's own view of its domains (kept from the domain events it sends, or set with
 * {@link #defineDomain}); every other request is echoed with success. Events are routed to
 * registrations with the simulator's own table of the reference's actions, not the client's.
 * {@link #close()} stops every thread it started.
 */
public final class LdmdSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LdmdSimulator.class);

  private final Map<String, char[]> users;
  private final SelfSignedCertificate certificate;
  private final SSLContext tls;
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final LdmXml xml = LdmXml.defaults();
  private final Object registrationChange = new Object();
  private volatile String refusal;
  private volatile int chunkBytes;
  private volatile Duration chunkPause = Duration.ZERO;
  private volatile boolean closed;
  private final SimulatedDomains domains = new SimulatedDomains();

  private LdmdSimulator(Builder b) throws IOException {
    this.users = Map.copyOf(b.users);
    try {
      this.certificate = SelfSignedCertificate.generate("ldmd-simulator");
      this.tls = certificate.serverContext();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up the simulator's TLS", e);
    }
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port));
    this.acceptor = new Thread(this::acceptLoop, "ldmd-sim-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A simulator on an ephemeral port without users (local mode). */
  public static LdmdSimulator start() throws IOException {
    return builder().start();
  }

  /** The loopback address it listens on. */
  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** The SHA-256 fingerprint of its certificate, for {@link LdmTrust#pinnedSha256(String)}. */
  public String certificateSha256() {
    return LdmTrust.sha256(certificate.certificate());
  }

  /** A trust store holding only its certificate, for {@link LdmTrust#trustStore(KeyStore)}. */
  public KeyStore trustStore() {
    try {
      return certificate.trustStore();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client configuration for this simulator, its certificate pinned, short timeouts. */
  public LdmClientConfig.Builder clientConfig() {
    return LdmClientConfig.builder(host()).port(port())
        .trust(LdmTrust.pinnedSha256(certificateSha256()))
        .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(5));
  }

  /**
   * Sends {@code event} to every client registered for its category; returns how many. A domain
   * event also changes the simulator's view of that domain, which {@code list-domain} answers.
   */
  public int publish(LdmEvent event) {
    track(event);
    return sendTo(SimulatorRoutes.of(event.firstAction()), false, xml.writeBytes(event));
  }

  /** Sets a domain's state ({@code inactive}, {@code bound}, {@code active}) without an event. */
  public void defineDomain(String name, String state) {
    domains.set(name, state);
  }

  /** Every domain the simulator knows, with its state, as {@code list-domain} answers. */
  public Map<String, String> domains() {
    return domains.snapshot();
  }

  private void track(LdmEvent event) {
    for (Cmd c : event.getCommands()) {
      for (Data d : c.getData()) {
        if (d.getEnvelope() != null && c.getAction() != null) {
          for (org.virthooks.ldm.model.Content content : d.getEnvelope().getContents()) {
            if (content.getId() != null && SimulatorRoutes.DOMAIN.contains(c.getAction())) {
              domains.apply(c.getAction(), content.getId());
            }
          }
        }
      }
    }
  }

  /** Sends all {@code events} in one write to each client registered for the first one's category. */
  public int publishTogether(List<LdmEvent> events) {
    events.forEach(this::track);
    StringBuilder all = new StringBuilder();
    for (LdmEvent e : events) {
      all.append(xml.write(e)).append('\n');
    }
    return sendTo(SimulatorRoutes.of(events.get(0).firstAction()), false,
        all.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends raw bytes (malformed XML, say) to every client registered for anything. */
  public int sendRaw(String text) {
    return sendTo(null, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * From now on writes every document in pieces of {@code bytes} bytes with {@code pause} between
   * them: a document split over many writes, or slow writes. 0 bytes writes whole documents.
   */
  public void splitWrites(int bytes, Duration pause) {
    this.chunkBytes = Math.max(0, bytes);
    this.chunkPause = pause == null ? Duration.ZERO : pause;
  }

  /** From now on answers every registration with failure and this {@code resp_msg}; null accepts. */
  public void refuseRegistrations(String respMsg) {
    this.refusal = respMsg;
  }

  /** Closes every client connection abruptly (no stream end); returns how many. */
  public int dropConnections() {
    int n = 0;
    for (Session s : sessions) {
      s.close();
      n++;
    }
    return n;
  }

  /** How many connections were accepted since start. */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** How many connected clients are registered for {@code category} (by its own registration). */
  public int registered(LdmEventCategory category) {
    int n = 0;
    for (Session s : sessions) {
      if (s.registrations.contains(category)) {
        n++;
      }
    }
    return n;
  }

  /** Waits until at least {@code n} connected clients are registered for anything. */
  public boolean awaitRegisteredClients(int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (registrationChange) {
      while (registeredClients() < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        registrationChange.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private int registeredClients() {
    int n = 0;
    for (Session s : sessions) {
      if (!s.registrations.isEmpty()) {
        n++;
      }
    }
    return n;
  }

  private int sendTo(LdmEventCategory category, boolean raw, byte[] bytes) {
    int n = 0;
    for (Session s : sessions) {
      // events of unknown actions reach "all" registrations only; raw bytes reach any registration
      boolean wants = raw ? !s.registrations.isEmpty()
          : s.registrations.contains(LdmEventCategory.ALL)
              || (category != null && s.registrations.contains(category));
      if (wants && s.send(bytes)) {
        n++;
      }
    }
    return n;
  }

  /** Stops accepting, closes every connection and waits for every thread it started. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing the listening socket is what ends the accept loop
    }
    dropConnections();
    List<Thread> all = new ArrayList<>(threads);
    all.add(acceptor);
    for (Thread t : all) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        int id = accepted.incrementAndGet();
        Session session = new Session(s, id);
        Thread t = new Thread(session::run, "ldmd-sim-client-" + id);
        t.setDaemon(true);
        threads.removeIf(x -> !x.isAlive());
        threads.add(t);
        sessions.add(session);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("simulator accept failed", e);
        }
      }
    }
  }

  private void registrationsChanged() {
    synchronized (registrationChange) {
      registrationChange.notifyAll();
    }
  }

  /** One client connection. */
  private final class Session {
    private final Socket plain;
    private final int id;
    private final Set<LdmEventCategory> registrations = ConcurrentHashMap.newKeySet();
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile boolean ready;

    Session(Socket plain, int id) {
      this.plain = plain;
      this.id = id;
      this.socket = plain;
    }

    void run() {
      try {
        plain.setSoTimeout(10_000);
        FrameReader r = handshake();
        socket.setSoTimeout(0);
        ready = true;
        serve(r);
      } catch (IOException | LdmParseException | RuntimeException e) {
        LOG.debug("simulator session {} ended: {}", id, e.toString());
      } finally {
        close();
        sessions.remove(this);
        registrations.clear();
        registrationsChanged();
      }
    }

    private FrameReader handshake() throws IOException, LdmParseException {
      FrameReader r = new FrameReader(plain.getInputStream(), 1 << 20);
      Xmpp.expectOpen(r);
      out = plain.getOutputStream();
      Xmpp.write(out, Xmpp.serverHeader("sim-" + id) + "<stream:features><starttls xmlns='"
          + Xmpp.TLS_NS + "'><required/></starttls></stream:features>");
      Xmpp.expectStanza(r, "starttls");
      Xmpp.write(out, Xmpp.PROCEED);
      SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
      t.setUseClientMode(false);
      Xmpp.restrictProtocols(t);
      socket = t;
      t.startHandshake();
      out = t.getOutputStream();
      r = new FrameReader(t.getInputStream(), 1 << 20);
      Xmpp.expectOpen(r);
      if (users.isEmpty()) {
        Xmpp.write(out, Xmpp.serverHeader("sim-" + id + "-tls") + "<stream:features/>");
        return r;
      }
      Xmpp.write(out, Xmpp.serverHeader("sim-" + id + "-tls") + "<stream:features><mechanisms xmlns='"
          + Xmpp.SASL_NS + "'><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
      Stanza auth = Xmpp.expectStanza(r, "auth");
      if (!"PLAIN".equals(auth.attributes().get("mechanism")) || !checkPlain(auth.text())) {
        Xmpp.write(out, "<failure xmlns='" + Xmpp.SASL_NS + "'><not-authorized/></failure>"
            + Xmpp.STREAM_END);
        throw new IOException("login refused");
      }
      Xmpp.write(out, "<success xmlns='" + Xmpp.SASL_NS + "'/>");
      r = new FrameReader(t.getInputStream(), 1 << 20);
      Xmpp.expectOpen(r);
      Xmpp.write(out, Xmpp.serverHeader("sim-" + id + "-auth") + "<stream:features/>");
      return r;
    }

    private boolean checkPlain(String base64) {
      byte[] msg;
      try {
        msg = Base64.getDecoder().decode(base64.trim());
      } catch (IllegalArgumentException e) {
        return false;
      }
      String[] parts = new String(msg, StandardCharsets.UTF_8).split("\0", -1);
      Arrays.fill(msg, (byte) 0);
      if (parts.length != 3) {
        return false;
      }
      char[] expected = users.get(parts[1]);
      return expected != null && Arrays.equals(expected, parts[2].toCharArray());
    }

    private void serve(FrameReader r) throws IOException, LdmParseException {
      while (true) {
        FrameReader.Item item = r.next();
        if (item instanceof FrameReader.Closed) {
          return;
        }
        if (item instanceof FrameReader.Element e) {
          if (!e.name().equals("LDM_interface")) {
            continue;
          }
          LdmInterface answer;
          try {
            LdmMessage m = xml.read(e.frame().bytes());
            answer = answer((LdmInterface) m);
          } catch (LdmParseException bad) {
            answer = new LdmInterface().setVersion(LdmInterface.DEFAULT_VERSION)
                .setResponse(Response.failure("malformed request: " + bad.getMessage()));
          }
          send(xml.writeBytes(answer));
        }
      }
    }

    /** The request echoed with a response at every level. */
    private LdmInterface answer(LdmInterface request) {
      boolean allOk = true;
      List<String> messages = new ArrayList<>();
      Map<LdmEventCategory, Boolean> changes = new LinkedHashMap<>();
      for (Cmd c : request.getCommands()) {
        String action = c.getAction() == null ? "" : c.getAction();
        LdmEventCategory cat = LdmEventCategory.ofRegistration(action);
        String refused = refusal;
        boolean ok = true;
        String msg = null;
        if (cat != null && refused != null) {
          ok = false;
          msg = refused;
        } else if (cat != null) {
          changes.put(cat, action.startsWith("reg-"));
        }
        if (action.equals("list-domain")) {
          c.getData().clear();
          c.getData().addAll(domains.listDomain());
        }
        if (c.getData().isEmpty()) {
          c.getData().add(Data.empty());
        }
        for (Data d : c.getData()) {
          d.setResponse(ok ? Response.success() : Response.failure(msg));
        }
        c.setResponse(ok ? Response.success() : Response.failure(msg));
        if (!ok) {
          allOk = false;
          messages.add(msg);
        }
      }
      changes.forEach((cat, reg) -> {
        if (reg) {
          registrations.add(cat);
        } else {
          registrations.remove(cat);
        }
      });
      registrationsChanged();
      request.setResponse(allOk ? Response.success() : Response.failure(messages.toArray(new String[0])));
      return request;
    }

    /** Writes under the session's lock, in pieces when asked; false when the client is gone. */
    boolean send(byte[] bytes) {
      if (!ready) {
        return false;
      }
      synchronized (this) {
        try {
          int chunk = chunkBytes;
          if (chunk <= 0) {
            out.write(bytes);
            out.flush();
            return true;
          }
          for (int i = 0; i < bytes.length; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
            out.flush();
            long pause = chunkPause.toMillis();
            if (pause > 0) {
              Thread.sleep(pause);
            }
          }
          return true;
        } catch (IOException e) {
          close();
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }

    void close() {
      ready = false;
      Xmpp.closeQuietly(socket);
      Xmpp.closeQuietly(plain);
    }
  }

  /** Builds a {@link LdmdSimulator}. */
  public static final class Builder {
    private int port;
    private final Map<String, char[]> users = new LinkedHashMap<>();

    private Builder() {}

    /** The port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Requires SASL PLAIN and accepts this user (any number of users). */
    public Builder user(String name, char[] password) {
      users.put(name, password.clone());
      return this;
    }

    /** Starts the simulator. */
    public LdmdSimulator start() throws IOException {
      return new LdmdSimulator(this);
    }
  }
}
