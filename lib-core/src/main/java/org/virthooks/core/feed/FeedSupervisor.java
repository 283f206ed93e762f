package org.virthooks.core.feed;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.internal.Checks;

/**
 * The one reconnection skeleton of {@link EventFeed}s: a supervisor thread that connects through
 * the adapter's {@link Connector}, resynchronises, waits for the connection to end, says so, backs
 * off and connects again, until {@link #close()}. The adapter supplies how to connect, how to
 * list what is true now, and how to interrupt a connection still being made; the skeleton
 * supplies the rest of the {@link EventFeed} contract (state, backoff with jitter, the source
 * events {@value #LOST}, {@value #RESTORED} and {@value #RESYNCHRONISED}, a guard around the sink,
 * a thread that ends on close).
 */
public final class FeedSupervisor implements AutoCloseable {
  /** The action of the source event published when a connection breaks or cannot be made. */
  public static final String LOST = "connection-lost";
  /** The action of the source event published when a connection is made again. */
  public static final String RESTORED = "connection-restored";
  /** The action of the source event that ends a resynchronisation. */
  public static final String RESYNCHRONISED = "resynchronised";

  private static final Logger LOG = LoggerFactory.getLogger(FeedSupervisor.class);

  /** A live connection of an adapter, registered for its events. */
  public interface Session {
    /** Waits until the connection ends; returns why (null when it ended without an error). */
    Throwable awaitEnd() throws InterruptedException;

    /**
     * Publishes one event per domain with its current state, through {@code sink}, and returns
     * how many; called after every connect and on demand.
     */
    int publishCurrentState(EventSink sink) throws Exception;

    /** Closes the connection, from any thread; makes {@link #awaitEnd()} return. */
    void close();
  }

  /** Opens a connection and registers for events. */
  @FunctionalInterface
  public interface Connector {
    /** A new session; throws when the daemon cannot be reached or refuses. */
    Session connect() throws Exception;
  }

  private final EventStamper stamper;
  private final EventSink sink;
  private final Backoff backoff;
  private final String threadName;
  private final Connector connector;
  private final Runnable abortConnect;
  private final Object lock = new Object();
  private FeedState state = FeedState.NEW;
  private Thread thread;
  private Session session;
  private long reconnections;
  private String lastFailure;

  /**
   * A supervisor publishing to {@code sink} with events stamped by {@code stamper}.
   *
   * @param abortConnect called by {@link #close()} to interrupt a {@link Connector#connect()}
   *     under way (close the socket it is setting up); may be a no-op
   */
  public FeedSupervisor(EventStamper stamper, EventSink sink, Backoff backoff, String threadName,
      Connector connector, Runnable abortConnect) {
    this.stamper = Checks.notNull("stamper", stamper);
    this.sink = Checks.notNull("sink", sink);
    this.backoff = Checks.notNull("backoff", backoff);
    this.threadName = Checks.notBlank("threadName", threadName);
    this.connector = Checks.notNull("connector", connector);
    this.abortConnect = Checks.notNull("abortConnect", abortConnect);
  }

  /** See {@link EventFeed#start()}. */
  public void start() {
    synchronized (lock) {
      if (state != FeedState.NEW) {
        throw new IllegalStateException(state == FeedState.CLOSED ? "closed" : "already started");
      }
      state = FeedState.CONNECTING;
      thread = new Thread(this::supervise, threadName);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** See {@link EventFeed#state()}. */
  public FeedState state() {
    synchronized (lock) {
      return state;
    }
  }

  /** See {@link EventFeed#reconnections()}. */
  public long reconnections() {
    synchronized (lock) {
      return reconnections;
    }
  }

  /** See {@link EventFeed#lastFailure()}. */
  public java.util.Optional<String> lastFailure() {
    synchronized (lock) {
      return state == FeedState.CONNECTED ? java.util.Optional.empty()
          : java.util.Optional.ofNullable(lastFailure);
    }
  }

  /** See {@link EventFeed#awaitConnected(Duration)}. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (state != FeedState.CONNECTED) {
        long left = end - System.nanoTime();
        if (left <= 0 || state == FeedState.CLOSED) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** See {@link EventFeed#resynchronise()}. */
  public boolean resynchronise() {
    Session s;
    synchronized (lock) {
      s = state == FeedState.CONNECTED ? session : null;
    }
    if (s == null) {
      return false;
    }
    try {
      resync(s);
      return true;
    } catch (Exception e) {
      LOG.warn("{}: resynchronising failed: {}", stamper.source(), e.getMessage());
      return false;
    }
  }

  /** Publishes {@code event} to the sink; a sink that throws is logged, never fatal. */
  public void publish(VirtEvent event) {
    try {
      sink.publish(event);
    } catch (RuntimeException e) {
      LOG.warn("{}: the event sink failed on {}", stamper.source(), event.action(), e);
    }
  }

  /** Publishes a source event of {@code kind} with this action and message. */
  public void publishSource(SourceEvent.Kind kind, String action, String message,
      Map<String, String> attributes) {
    publish(SourceEvent.of(stamper.next(action, attributes), kind, message));
  }

  private void supervise() {
    int failures = 0;
    boolean lost = false;
    while (!isClosed()) {
      Session s;
      try {
        s = connector.connect();
      } catch (Exception | LinkageError e) {
        if (isClosed()) {
          return;
        }
        LOG.warn("{}: cannot connect: {}", stamper.source(), e.getMessage());
        synchronized (lock) {
          lastFailure = String.valueOf(e.getMessage());
        }
        if (!lost) {
          lost = true;
          setState(FeedState.RECONNECTING);
          publishSource(SourceEvent.Kind.CONNECTION_LOST, LOST, String.valueOf(e.getMessage()),
              Map.of());
        }
        sleep(backoff.delay(++failures));
        continue;
      }
      synchronized (lock) {
        if (state == FeedState.CLOSED) {
          s.close();
          return;
        }
        session = s;
        if (lost) {
          reconnections++;
        }
      }
      if (lost) {
        publishSource(SourceEvent.Kind.CONNECTION_RESTORED, RESTORED, "connected again to "
            + stamper.source().instance() + " and registered", Map.of());
      }
      failures = 0;
      try {
        resync(s);
      } catch (Exception e) {
        LOG.warn("{}: resynchronising failed: {}", stamper.source(), e.getMessage());
      }
      // connected means registered and reconciled: what a consumer sees from now on is live
      setState(FeedState.CONNECTED);
      Throwable why;
      try {
        why = s.awaitEnd();
      } catch (InterruptedException e) {
        s.close();
        return;
      }
      synchronized (lock) {
        session = null;
        if (state == FeedState.CLOSED) {
          return;
        }
        state = FeedState.RECONNECTING;
        lastFailure = why == null ? "connection closed" : String.valueOf(why.getMessage());
      }
      s.close();
      lost = true;
      publishSource(SourceEvent.Kind.CONNECTION_LOST, LOST, why == null ? "connection closed"
          : String.valueOf(why.getMessage()), Map.of());
      sleep(backoff.delay(++failures));
    }
  }

  private void resync(Session s) throws Exception {
    int n = s.publishCurrentState(this::publish);
    publishSource(SourceEvent.Kind.RESYNCHRONISED, RESYNCHRONISED,
        n + " domains listed with their state", Map.of("domains", Integer.toString(n)));
  }

  private void setState(FeedState s) {
    synchronized (lock) {
      if (state != FeedState.CLOSED) {
        state = s;
        lock.notifyAll();
      }
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return state == FeedState.CLOSED;
    }
  }

  private void sleep(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    synchronized (lock) {
      while (state != FeedState.CLOSED) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** See {@link EventFeed#close()}: ends the connection, the one being made, and the thread. */
  @Override
  public void close() {
    Thread t;
    Session s;
    synchronized (lock) {
      if (state == FeedState.CLOSED) {
        return;
      }
      state = FeedState.CLOSED;
      t = thread;
      s = session;
      session = null;
      lock.notifyAll();
    }
    if (s != null) {
      s.close();
    }
    abortConnect.run();
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(10_000);
        if (t.isAlive()) {
          t.interrupt();
          t.join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.warn("{}: the feed's thread did not end within 15 s of close", stamper.source());
      }
    }
  }
}
