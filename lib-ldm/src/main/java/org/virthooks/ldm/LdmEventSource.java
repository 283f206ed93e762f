package org.virthooks.ldm;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventSource;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.ldm.internal.Xmpp;
import org.virthooks.ldm.model.LdmEvent;

/**
 * Keeps a registration with ldmd alive and publishes what arrives as lib-core events: connects,
 * registers for the chosen categories, translates every {@code LDM_event} with
 * {@link LdmEventTranslator} and publishes it to the sink. When the connection breaks it publishes
 * {@link SourceEvent.Kind#CONNECTION_LOST} (events may be missed from then on), reconnects with
 * exponential backoff and jitter, registers again and publishes
 * {@link SourceEvent.Kind#CONNECTION_RESTORED}. A first connection that fails counts as lost too.
 *
 * <p>Categories: {@link LdmEventCategory#DOMAIN}, {@link LdmEventCategory#HARDWARE},
 * {@link LdmEventCategory#RESOURCE}, {@link LdmEventCategory#ALL}. ldmd has no progress
 * registration: {@code migration-process} progress events come with HARDWARE or ALL.
 *
 * <p>One supervisor thread and one reader thread per connection; {@link #close()} ends both.
 */
public final class LdmEventSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LdmEventSource.class);

  private final LdmClientConfig config;
  private final Set<LdmEventCategory> categories;
  private final EventSink sink;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final EventStamper stamper;
  private final LdmEventTranslator translator;
  private final Object lock = new Object();
  private Thread supervisor;
  private LdmConnection connection;
  /** The socket of a connection still being set up, closed by {@link #close()} to abandon it. */
  private Socket settingUp;
  private boolean connected;
  private boolean closed;
  private int restored;

  private LdmEventSource(Builder b) {
    this.config = b.config;
    this.categories = Set.copyOf(b.categories);
    this.sink = b.sink;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.stamper = new EventStamper(EventSource.of("ldm", config.address()), b.clock);
    this.translator = new LdmEventTranslator(stamper);
  }

  /** A builder reading from ldmd as {@code config} says and publishing to {@code sink}. */
  public static Builder builder(LdmClientConfig config, EventSink sink) {
    return new Builder(config, sink);
  }

  /** The source every event of this instance carries ({@code ldm:host:port}). */
  public EventSource eventSource() {
    return stamper.source();
  }

  /** Starts the supervisor thread; returns at once. Connection failures are retried, never thrown. */
  public LdmEventSource start() {
    synchronized (lock) {
      if (supervisor != null || closed) {
        throw new IllegalStateException(closed ? "closed" : "already started");
      }
      supervisor = new Thread(this::supervise, "ldm-source-" + config.address());
      supervisor.setDaemon(true);
      supervisor.start();
    }
    return this;
  }

  /** True while connected and registered. */
  public boolean isConnected() {
    synchronized (lock) {
      return connected;
    }
  }

  /** How many times the connection was restored after a loss. */
  public int restoredCount() {
    synchronized (lock) {
      return restored;
    }
  }

  /** Waits until connected and registered; false when {@code timeout} passes first. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!connected) {
        long left = end - System.nanoTime();
        if (left <= 0 || closed) {
          return connected;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * Closes the connection, or abandons the one being set up, and waits for every thread this
   * source started to end.
   */
  @Override
  public void close() {
    Thread s;
    LdmConnection c;
    Socket pending;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      connected = false;
      s = supervisor;
      c = connection;
      pending = settingUp;
      lock.notifyAll();
    }
    if (c != null) {
      c.close();
    }
    // a daemon that accepted and then stays silent would hold the supervisor for the whole
    // connect timeout; closing the socket under the handshake ends it now
    Xmpp.closeQuietly(pending);
    if (s != null && s != Thread.currentThread()) {
      try {
        s.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void supervise() {
    int failures = 0;
    boolean lost = false;
    while (!isClosed()) {
      LdmConnection c = null;
      try {
        c = LdmConnection.open(config, this::onEvent, this::settingUp);
        synchronized (lock) {
          settingUp = null;
          if (closed) {
            c.close();
            return;
          }
          connection = c;
        }
        c.register(categories);
        synchronized (lock) {
          connected = true;
          if (lost) {
            restored++;
          }
          lock.notifyAll();
        }
        if (lost) {
          publish(SourceEvent.Kind.CONNECTION_RESTORED, "connected to " + config.address()
              + " and registered for " + categories + " again");
          lost = false;
        }
        failures = 0;
        Throwable why = c.closedFuture().join();
        if (isClosed()) {
          return;
        }
        markDisconnected();
        lost = true;
        publish(SourceEvent.Kind.CONNECTION_LOST, why == null ? "connection closed" : why.getMessage());
      } catch (IOException | LdmRequestException | RuntimeException e) {
        if (c != null) {
          c.close();
        }
        markDisconnected();
        if (isClosed()) {
          return;
        }
        LOG.warn("ldmd at {}: {}", config.address(), e.getMessage());
        if (!lost) {
          lost = true;
          publish(SourceEvent.Kind.CONNECTION_LOST, e.getMessage());
        }
      }
      failures++;
      sleep(backoff(failures));
    }
  }

  /** Exponential from the initial backoff up to the maximum, then between half and all of it. */
  Duration backoff(int failures) {
    long base = initialBackoff.toMillis() << Math.min(20, Math.max(0, failures - 1));
    long capped = Math.min(maxBackoff.toMillis(), base);
    // "equal jitter": clients that lost the same ldmd do not come back in lockstep
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private void sleep(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    synchronized (lock) {
      while (!closed) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
          return;
        }
      }
    }
  }

  private void markDisconnected() {
    synchronized (lock) {
      connected = false;
      connection = null;
      settingUp = null;
    }
  }

  /** Keeps the socket of the connection being set up for {@link #close()}; closes it if too late. */
  private void settingUp(Socket socket) {
    synchronized (lock) {
      if (!closed) {
        settingUp = socket;
        return;
      }
    }
    Xmpp.closeQuietly(socket);
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void onEvent(LdmEvent event) {
    List<VirtEvent> out = translator.translate(event);
    for (VirtEvent e : out) {
      sink.publish(e);
    }
  }

  private void publish(SourceEvent.Kind kind, String message) {
    try {
      sink.publish(SourceEvent.of(stamper.next(kind == SourceEvent.Kind.CONNECTION_LOST
          ? "connection-lost" : "connection-restored"), kind, message));
    } catch (RuntimeException e) {
      LOG.warn("event sink failed on {}", kind, e);
    }
  }

  /** Builds a {@link LdmEventSource}. */
  public static final class Builder {
    private final LdmClientConfig config;
    private final EventSink sink;
    private Set<LdmEventCategory> categories = EnumSet.of(LdmEventCategory.ALL);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
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
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff must be positive and max >= initial");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
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
