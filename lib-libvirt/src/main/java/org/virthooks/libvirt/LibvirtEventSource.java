package org.virthooks.libvirt;

import com.google.common.collect.ImmutableSet;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.libvirt.LibvirtException;
import org.libvirt.jna.DomainPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainInfo;
import org.virthooks.core.DomainRef;
import org.virthooks.core.DomainStatus;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.feed.Backoff;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.feed.FeedState;
import org.virthooks.core.feed.FeedSupervisor;
import org.virthooks.libvirt.internal.CallbackTable;
import org.virthooks.libvirt.internal.DomainStates;
import org.virthooks.libvirt.internal.Enricher;
import org.virthooks.libvirt.internal.KnownStates;
import org.virthooks.libvirt.internal.LibvirtConnection;

/**
 * Every domain, network, storage pool, node device and secret event of one libvirt connection ({@code qemu:///system},
 * {@code test:///default}, remote URIs) as typed lib-core events, kept flowing across daemon
 * restarts.
 *
 * <pre>{@code
 * try (EventDispatcher events = EventDispatcher.create();
 *      LibvirtEventSource source = LibvirtEventSource.builder("qemu:///system", events)
 *          .build().start()) {
 *   events.on(DomainEvent.class, e -> log.info("{} {}", e.domain().name(), e.kind()));
 *   ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Registers every domain event ID of {@link DomainEventId} the daemon supports (an ID it
 *       refuses is logged once and skipped), through libvirt-java's public JNA interface for the
 *       IDs libvirt-java does not wrap, and every {@link HostEventId}: networks, storage pools,
 *       node devices and secrets, as {@code ResourceEvent}s. The mapping is documented
 *       on {@link DomainEventId}; raw numbers stay in the attributes ({@code event},
 *       {@code detail}, ...) and every domain event carries the domain's name, id and UUID.
 *   <li>Callbacks run on {@link LibvirtEventLoop}'s thread and only map and publish. With
 *       {@link Builder#enrich(boolean)} the domain's state, reason and {@link DomainInfo} are
 *       fetched on a thread of the source's own (never on the loop thread, where a round trip to
 *       the daemon would stall every connection) and added as attributes; read them with
 *       {@link #status(VirtEvent)} and {@link #info(VirtEvent)}.
 *   <li>It is an {@link EventFeed} on core's {@link FeedSupervisor}: {@link #start()} returns
 *       at once and connects in the background; when the connection closes (daemon stopped,
 *       keepalive timeout, error) or cannot be made, {@code connection-lost} is published and
 *       the source reconnects with backoff and jitter, registers everything again, publishes
 *       {@code connection-restored}; after every connect it resynchronises: one domain event per
 *       domain, its kind the lifecycle kind that leads to its current state (running →
 *       started, paused → suspended, shut off → stopped...), its action
 *       {@code RESYNC/<STATE>/<REASON>} and attribute {@code resync=true}, and finally
 *       {@code resynchronised}. Consumers reconcile what they missed from those. The states come
 *       from one {@code virConnectGetAllDomainStats} call (state group), not a call per domain.
 *   <li>Reconciliation (Nova's periodic power-state sync, for users who do not trust events
 *       alone): {@link #reconcile()} on demand, or every {@link Builder#reconcileEvery(Duration)},
 *       compares what the feed has told about each domain (the state its last lifecycle or
 *       resynchronisation event leads to) with the daemon's states now and publishes only the
 *       differences, as resynchronisation events with the attribute {@code reconciled=true} (a
 *       domain the daemon no longer has: {@code UNDEFINED}, action {@code RESYNC/GONE}). A domain
 *       whose event arrived while the daemon was being asked is left to the next round.
 *   <li>{@link #close()} deregisters every callback, then closes the connection, then stops the
 *       source's threads.
 * </ul>
 * Thread-safe.
 */
public final class LibvirtEventSource implements EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtEventSource.class);
  /** The adapter name in event sources. */
  public static final String ADAPTER = "libvirt";

  private final String uri;
  private final LibvirtConnection.Settings settings;
  private final EventStamper stamper;
  private final FeedSupervisor supervisor;
  private final CallbackTable table;
  private final KnownStates known = new KnownStates();
  private final Duration reconcileEvery;
  private final Object reconciling = new Object();
  private final AtomicLong corrections = new AtomicLong();
  private ScheduledExecutorService reconciler;
  // an ID the daemon refuses is logged once per source, not once per reconnection
  private final Set<Object> refusalLogged = ConcurrentHashMap.newKeySet();
  private static final AtomicLong INSTANCES = new AtomicLong();
  private final long instanceId = INSTANCES.incrementAndGet();
  private final AtomicLong generations = new AtomicLong();
  private final Object lifecycle = new Object();
  private Enricher enricher;
  // every thread the executors made, joined at close: a terminated executor's last worker
  // may still be alive for a moment, and close() promises that the threads are gone
  private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Link link;
  private volatile boolean closed;

  private LibvirtEventSource(Builder b) {
    this.uri = b.uri;
    this.settings = new LibvirtConnection.Settings(b.uri, b.readOnly, b.keepAliveInterval,
        b.keepAliveCount, ImmutableSet.copyOf(b.ids), ImmutableSet.copyOf(b.hostIds));
    this.stamper = new EventStamper(SourceId.of(ADAPTER, uri));
    // the instance number tells two sources of one URI apart in thread dumps
    String name = "#" + instanceId + " " + uri.replaceAll("[^A-Za-z0-9:/._-]", "_");
    this.table = new CallbackTable(uri, stamper, new CallbackTable.Output() {
      @Override
      public void emit(VirtEvent e, DomainPointer d) {
        LibvirtEventSource.this.emit(e, d);
      }

      @Override
      public void publish(VirtEvent e) {
        LibvirtEventSource.this.publish(e);
      }
    });
    this.supervisor = new FeedSupervisor(stamper, b.sink, b.backoff,
        "virthooks-libvirt-feed " + name, this::connectSession, () -> { });
    if (b.enrich) {
      enricher = new Enricher(uri, tracked("virthooks-libvirt-enrich " + name), this::publish);
    }
    this.reconcileEvery = b.reconcileEvery;
    if (reconcileEvery != null) {
      reconciler = Executors.newSingleThreadScheduledExecutor(
          tracked("virthooks-libvirt-reconcile " + name));
    }
  }

  /** Starts configuring a source for {@code uri} publishing to {@code sink}. */
  public static Builder builder(String uri, EventSink sink) {
    return new Builder(uri, sink);
  }

  /** The URI. */
  public String uri() {
    return uri;
  }

  /** The source named in every event: {@code libvirt:<uri>}. */
  @Override
  public SourceId source() {
    return stamper.source();
  }

  @Override
  public FeedState state() {
    return supervisor.state();
  }

  /** True while a connection is open and registered. */
  public boolean isConnected() {
    Link l = link;
    return l != null && !l.dead;
  }

  @Override
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return supervisor.awaitConnected(timeout);
  }

  @Override
  public Optional<String> lastFailure() {
    return supervisor.lastFailure();
  }

  @Override
  public boolean resynchronise() {
    return supervisor.resynchronise();
  }

  /** The domain event IDs registered on the current connection. */
  public Set<DomainEventId> registeredIds() {
    Link l = link;
    return l == null || l.connection == null ? Set.of() : l.connection.registeredIds();
  }

  /** The domain event IDs the daemon refused on the current connection. */
  public Set<DomainEventId> refusedIds() {
    Link l = link;
    return l == null || l.connection == null ? Set.of() : l.connection.refusedIds();
  }

  /** The host event IDs (networks, storage pools, node devices, secrets) registered on the current connection. */
  public Set<HostEventId> registeredHostIds() {
    Link l = link;
    return l == null || l.connection == null ? Set.of() : l.connection.registeredHostIds();
  }

  /** The host event IDs the daemon refused on the current connection. */
  public Set<HostEventId> refusedHostIds() {
    Link l = link;
    return l == null || l.connection == null ? Set.of() : l.connection.refusedHostIds();
  }

  /** This source's number in its threads' names ({@code virthooks-libvirt-reconnect #3 URI}). */
  long instanceId() {
    return instanceId;
  }

  /** How many times the source reconnected after losing its connection. */
  @Override
  public long reconnections() {
    return supervisor.reconnections();
  }

  /**
   * Starts the event loop and the feed's thread, and returns; connecting happens in the
   * background (see {@link EventFeed}).
   *
   * @throws LibvirtUnavailableException when libvirt.so.0 is missing (package libvirt0)
   */
  @Override
  public LibvirtEventSource start() {
    LibvirtEventLoop.ensureRunning();
    supervisor.start();
    if (reconciler != null) {
      long ms = reconcileEvery.toMillis();
      reconciler.scheduleWithFixedDelay(() -> {
        try {
          reconcile();
        } catch (RuntimeException e) {
          LOG.warn("{}: reconciliation failed", uri, e);
        }
      }, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Compares what this feed has told about every domain's state with the daemon's states now
   * (one {@code virConnectGetAllDomainStats} round trip) and publishes an event for each
   * difference only (see the class comment); returns how many, empty when not connected or when
   * the daemon could not be asked.
   */
  public OptionalInt reconcile() {
    synchronized (reconciling) {
      Link l = link;
      if (l == null || !l.current() || supervisor.state() != FeedState.CONNECTED) {
        return OptionalInt.empty();
      }
      long since = known.version();
      List<DomainStates.Actual> actual;
      try {
        actual = DomainStates.current(l.connection.connect(), l.connection.pointer());
      } catch (LibvirtException | RuntimeException e) {
        LOG.warn("{}: reconciliation could not list the domains: {}", uri, e.getMessage());
        return OptionalInt.empty();
      }
      if (!l.current()) {
        return OptionalInt.empty();
      }
      KnownStates.Differences d = known.compare(actual, since);
      for (DomainStates.Actual a : d.changed()) {
        publish(DomainStates.event(a, stamper, Map.of("reconciled", "true")));
      }
      for (DomainRef gone : d.gone()) {
        publish(DomainEvent.of(stamper.next("RESYNC/GONE", Map.of("resync", "true",
            "reconciled", "true")), gone, DomainEvent.Kind.UNDEFINED, null));
        gone.uuid().ifPresent(known::forget);
      }
      int n = d.changed().size() + d.gone().size();
      corrections.addAndGet(n);
      return OptionalInt.of(n);
    }
  }

  /** How many correcting events reconciliations published in all. */
  public long corrections() {
    return corrections.get();
  }

  private FeedSupervisor.Session connectSession() throws LibvirtException {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      Link l = connect();
      link = l;
      return l;
    }
  }

  private java.util.concurrent.ThreadFactory tracked(String name) {
    java.util.concurrent.ThreadFactory f = new ThreadFactoryBuilder()
        .setNameFormat(name.replace("%", "%%")).setDaemon(true).build();
    return r -> {
      Thread t = f.newThread(r);
      threads.add(t);
      return t;
    };
  }

  // ------------------------------------------------------------------ connection and callbacks

  /**
   * One connection as the supervisor's session: the {@link LibvirtConnection} and what this
   * source knows of it; callbacks of an old one are ignored.
   */
  private final class Link implements FeedSupervisor.Session {
    final long generation;
    volatile LibvirtConnection connection;
    volatile boolean dead;
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    Link(long generation) {
      this.generation = generation;
    }

    boolean current() {
      return !dead && !closed && link == this;
    }

    @Override
    public Throwable awaitEnd() throws InterruptedException {
      try {
        return ended.get();
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause();
      }
    }

    @Override
    public int publishCurrentState(EventSink out) throws LibvirtException {
      long since = known.version();
      List<DomainStates.Actual> all = DomainStates.current(connection.connect(),
          connection.pointer());
      Set<UUID> listed = new HashSet<>();
      for (DomainStates.Actual a : all) {
        a.domain().uuid().ifPresent(listed::add);
        DomainEvent e = DomainStates.event(a, stamper, Map.of());
        known.observe(e);
        out.publish(e);
      }
      known.retainListed(listed, since);
      return all.size();
    }

    @Override
    public void close() {
      synchronized (lifecycle) {
        if (!dead) {
          teardown(this);
        }
      }
      ended.complete(null);
    }
  }

  private Link connect() throws LibvirtException {
    Link l = new Link(generations.incrementAndGet());
    // the callbacks check l.current(), which holds only once the supervisor made l the link
    l.connection = LibvirtConnection.open(settings, table, l::current,
        reason -> onClose(l, reason), refusalLogged);
    return l;
  }

  /** Marks {@code l} dead, so that its callbacks are ignored, and closes its connection. */
  private void teardown(Link l) {
    l.dead = true;
    if (l.connection != null) {
      l.connection.close();
    }
  }

  // ------------------------------------------------------------------ publishing

  private void emit(VirtEvent e, DomainPointer d) {
    Enricher en = enricher;
    if (en == null) {
      publish(e);
    } else {
      en.emit(e, d);
    }
  }

  /** The state and reason an enriched or resynchronisation event carries, when it does. */
  public static Optional<DomainStatus> status(VirtEvent e) {
    return DomainStates.status(e);
  }

  /** The {@link DomainInfo} an enriched event carries, when it does. */
  public static Optional<DomainInfo> info(VirtEvent e) {
    return DomainStates.info(e);
  }

  private void publish(VirtEvent e) {
    known.observe(e);
    supervisor.publish(e);
  }

  // ------------------------------------------------------------------ reconnection

  private void onClose(Link l, int reason) {
    if (!l.current()) {
      return; // our own close, or an old connection
    }
    l.dead = true;
    String why = switch (reason) {
      case 0 -> "error";
      case 1 -> "end of file (the daemon went away)";
      case 2 -> "keepalive timeout";
      case 3 -> "closed by the client";
      default -> "reason " + reason;
    };
    // the supervisor says so, tears the connection down off this (event-loop) thread, reconnects
    l.ended.complete(new IOException("connection to " + uri + " lost: " + why));
  }

  // ------------------------------------------------------------------ closing

  /**
   * Deregisters every callback, then closes the connection (in that order: a callback must never
   * fire on a closed connection), then stops the source's threads. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // the supervisor closes the session (teardown: callbacks, then the connection), then its thread
    supervisor.close();
    Link l = link;
    synchronized (lifecycle) {
      if (l != null && !l.dead) {
        teardown(l); // a connection made while closing
      }
    }
    shutdownThreads();
  }

  private void shutdownThreads() {
    for (ExecutorService e : new ExecutorService[] {
        enricher == null ? null : enricher.executor(), reconciler}) {
      if (e == null) {
        continue;
      }
      e.shutdownNow();
      try {
        if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.warn("{}: a source thread did not stop within 5 s", uri);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Settings of a {@link LibvirtEventSource}. */
  public static final class Builder {
    private final String uri;
    private final EventSink sink;
    private Set<DomainEventId> ids = EnumSet.allOf(DomainEventId.class);
    private Set<HostEventId> hostIds = EnumSet.allOf(HostEventId.class);
    private boolean enrich;
    private boolean readOnly = true;
    private int keepAliveInterval = 5;
    private int keepAliveCount = 3;
    private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    private Duration reconcileEvery;

    private Builder(String uri, EventSink sink) {
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException("libvirt URI must not be blank");
      }
      if (sink == null) {
        throw new IllegalArgumentException("sink must not be null");
      }
      this.uri = uri;
      this.sink = sink;
    }

    /** The domain event IDs to register; all by default. */
    public Builder domainEvents(Set<DomainEventId> only) {
      this.ids = only.isEmpty() ? EnumSet.noneOf(DomainEventId.class) : EnumSet.copyOf(only);
      return this;
    }

    /** Whether to register network events (lifecycle, metadata change); true by default. */
    public Builder networkEvents(boolean on) {
      Set<HostEventId> next = EnumSet.noneOf(HostEventId.class);
      next.addAll(hostIds);
      for (HostEventId id : HostEventId.values()) {
        if (id.family() == HostEventId.Family.NETWORK) {
          if (on) {
            next.add(id);
          } else {
            next.remove(id);
          }
        }
      }
      this.hostIds = next;
      return this;
    }

    /**
     * The event IDs of networks, storage pools, node devices and secrets to register; all by
     * default.
     */
    public Builder hostEvents(Set<HostEventId> only) {
      this.hostIds = only.isEmpty() ? EnumSet.noneOf(HostEventId.class) : EnumSet.copyOf(only);
      return this;
    }

    /**
     * Whether to add the domain's state, reason and {@code DomainInfo} to domain events, fetched
     * off the event-loop thread (a round trip per event); false by default.
     */
    public Builder enrich(boolean on) {
      this.enrich = on;
      return this;
    }

    /** Whether the connection is read-only (enough for events); true by default. */
    public Builder readOnly(boolean ro) {
      this.readOnly = ro;
      return this;
    }

    /**
     * Keepalive: a probe every {@code intervalSeconds}, the connection closed after
     * {@code count} unanswered ones; 5 s and 3 by default, interval 0 turns it off.
     */
    public Builder keepAlive(int intervalSeconds, int count) {
      this.keepAliveInterval = intervalSeconds;
      this.keepAliveCount = count;
      return this;
    }

    /** Reconnection backoff: first delay, doubling up to {@code max}; 100 ms and 2 s by default. */
    public Builder reconnectBackoff(Duration min, Duration max) {
      this.backoff = new Backoff(min, max);
      return this;
    }

    /**
     * Reconciles every {@code period} (see {@link LibvirtEventSource#reconcile()}): one round
     * trip to the daemon each time, events only for differences. Off by default.
     */
    public Builder reconcileEvery(Duration period) {
      if (period == null || period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("reconciliation period must be positive: " + period);
      }
      this.reconcileEvery = period;
      return this;
    }

    /** The source, not started. */
    public LibvirtEventSource build() {
      return new LibvirtEventSource(this);
    }
  }
}
