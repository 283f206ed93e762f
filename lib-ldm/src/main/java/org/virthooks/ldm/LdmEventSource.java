package org.virthooks.ldm;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.feed.Backoff;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.feed.FeedState;
import org.virthooks.core.feed.FeedSupervisor;
import org.virthooks.ldm.internal.Xmpp;
import org.virthooks.ldm.model.Cmd;
import org.virthooks.ldm.model.Content;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.GenericProperty;
import org.virthooks.ldm.model.Item;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.Section;

/**
 * The LDoms {@link EventFeed}: keeps a registration with ldmd alive and publishes what arrives as
 * lib-core events: connects, registers for the chosen categories, translates every
 * {@code LDM_event} with {@link LdmEventTranslator} and publishes it to the sink. Reconnection,
 * backoff and the source events are {@link FeedSupervisor}'s; after every connect the feed asks
 * ldmd for {@code list-domain} and publishes one {@link DomainEvent} per domain (action
 * {@code list-domain}, attribute {@code resync=true}, its {@code state} when ldmd says it:
 * {@code active} as started, {@code bound} as bound, {@code inactive} as defined), then
 * {@code resynchronised}.
 *
 * <p>Categories: {@link LdmEventCategory#DOMAIN}, {@link LdmEventCategory#HARDWARE},
 * {@link LdmEventCategory#RESOURCE}, {@link LdmEventCategory#ALL}. ldmd has no progress
 * registration: {@code migration-process} progress events come with HARDWARE or ALL.
 *
 * <p>One supervisor thread and one reader thread per connection; {@link #close()} ends both.
 */
public final class LdmEventSource implements EventFeed {
  /** The request whose answer lists every domain: what resynchronisation asks. */
  static final String LIST_DOMAIN = "list-domain";

  private final LdmClientConfig config;
  private final Set<LdmEventCategory> categories;
  private final EventStamper stamper;
  private final LdmEventTranslator translator;
  private final FeedSupervisor supervisor;
  private final Object lock = new Object();
  // the socket of a connection being set up: a daemon that accepted and then stays silent would
  // hold the supervisor for the whole connect timeout; closing it under the handshake ends it now
  private Socket settingUp;

  private LdmEventSource(Builder b) {
    this.config = b.config;
    this.categories = Set.copyOf(b.categories);
    this.stamper = new EventStamper(SourceId.of("ldm", config.address()), b.clock);
    this.translator = new LdmEventTranslator(stamper);
    this.supervisor = new FeedSupervisor(stamper, b.sink, b.backoff,
        "ldm-source-" + config.address(), this::connect, this::abortConnect);
  }

  /** A builder reading from ldmd as {@code config} says and publishing to {@code sink}. */
  public static Builder builder(LdmClientConfig config, EventSink sink) {
    return new Builder(config, sink);
  }

  @Override
  public SourceId source() {
    return stamper.source();
  }

  @Override
  public FeedState state() {
    return supervisor.state();
  }

  /** Starts the supervisor thread; returns at once. Connection failures are retried, never thrown. */
  @Override
  public LdmEventSource start() {
    supervisor.start();
    return this;
  }

  /** True while connected and registered. */
  public boolean isConnected() {
    return supervisor.state() == FeedState.CONNECTED;
  }

  @Override
  public java.util.Optional<String> lastFailure() {
    return supervisor.lastFailure();
  }

  @Override
  public long reconnections() {
    return supervisor.reconnections();
  }

  @Override
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return supervisor.awaitConnected(timeout);
  }

  @Override
  public boolean resynchronise() {
    return supervisor.resynchronise();
  }

  /** Closes the connection and waits for every thread this source started to end. */
  @Override
  public void close() {
    supervisor.close();
  }

  private FeedSupervisor.Session connect() throws IOException, LdmRequestException {
    LdmConnection c = LdmConnection.open(config, this::onEvent, this::settingUp);
    synchronized (lock) {
      settingUp = null;
    }
    try {
      c.register(categories);
    } catch (IOException | LdmRequestException | RuntimeException e) {
      c.close();
      throw e;
    }
    return new Session(c);
  }

  /** A registered connection to ldmd. */
  private final class Session implements FeedSupervisor.Session {
    private final LdmConnection connection;

    Session(LdmConnection connection) {
      this.connection = connection;
    }

    @Override
    public Throwable awaitEnd() throws InterruptedException {
      try {
        return connection.closedFuture().get();
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }

    @Override
    public int publishCurrentState(EventSink sink) throws IOException, LdmRequestException {
      LdmInterface r = connection.requestOrThrow(LIST_DOMAIN);
      int n = 0;
      for (Cmd cmd : r.getCommands()) {
        for (Data d : cmd.getData()) {
          if (d.getEnvelope() == null) {
            continue;
          }
          for (Content c : d.getEnvelope().getContents()) {
            if (c.getId() == null || c.getId().isBlank()) {
              continue;
            }
            sink.publish(current(c));
            n++;
          }
        }
      }
      return n;
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /** A domain of a {@code list-domain} answer as the event of the state it is in. */
  private DomainEvent current(Content c) {
    String state = null;
    for (Section s : c.getSections()) {
      for (Item i : s.getItems()) {
        if ("ldom_info".equals(i.getOtherResourceType())) {
          for (GenericProperty p : i.getProperties()) {
            if ("state".equals(p.getKey())) {
              state = p.getValue();
            }
          }
        }
      }
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put("resync", "true");
    if (state != null) {
      a.put("state", state);
    }
    DomainEvent.Kind kind = state == null ? DomainEvent.Kind.OTHER : switch (state) {
      case "active" -> DomainEvent.Kind.STARTED;
      case "bound" -> DomainEvent.Kind.BOUND;
      case "inactive" -> DomainEvent.Kind.DEFINED;
      default -> DomainEvent.Kind.OTHER;
    };
    return DomainEvent.of(stamper.next(LIST_DOMAIN, a), DomainRef.of(c.getId()), kind, state);
  }

  /** Keeps the socket of the connection being set up for {@link #close()}; closes it if too late. */
  private void settingUp(Socket socket) {
    synchronized (lock) {
      if (supervisor.state() != FeedState.CLOSED) {
        settingUp = socket;
        return;
      }
    }
    Xmpp.closeQuietly(socket);
  }

  private void abortConnect() {
    Socket s;
    synchronized (lock) {
      s = settingUp;
      settingUp = null;
    }
    Xmpp.closeQuietly(s);
  }

  private void onEvent(LdmEvent event) {
    List<VirtEvent> out = translator.translate(event);
    for (VirtEvent e : out) {
      supervisor.publish(e);
    }
  }

  /** Builds a {@link LdmEventSource}. */
  public static final class Builder {
    private final LdmClientConfig config;
    private final EventSink sink;
    private Set<LdmEventCategory> categories = EnumSet.of(LdmEventCategory.ALL);
    private Backoff backoff = Backoff.DEFAULT;
    private Clock clock = Clock.systemUTC();

    private Builder(LdmClientConfig config, EventSink sink) {
      this.config = Objects.requireNonNull(config, "config");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The categories to register for; {@link LdmEventCategory#ALL} by default. */
    public Builder categories(Set<LdmEventCategory> categories) {
      if (categories == null || categories.isEmpty()) {
        throw new IllegalArgumentException("register for at least one category");
      }
      this.categories = EnumSet.copyOf(categories);
      return this;
    }

    /** The first reconnection delay (1 s by default) and the largest (60 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.backoff = new Backoff(initial, max);
      return this;
    }

    /** The clock stamping events. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source, not started. */
    public LdmEventSource build() {
      return new LdmEventSource(this);
    }
  }
}
