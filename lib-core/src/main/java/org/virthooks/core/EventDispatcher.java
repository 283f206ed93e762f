package org.virthooks.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.internal.AsyncSubscriber;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.Subscriber;
import org.virthooks.core.internal.SyncSubscriber;

/**
 * Delivers events to typed listeners: synchronously on the publishing thread, or asynchronously
 * through a bounded queue per subscription drained by a small pool of daemon threads.
 *
 * <pre>{@code
 * try (EventDispatcher events = EventDispatcher.create()) {
 *   events.on(DomainEvent.class, e -> log.info("{} {}", e.domain().name(), e.kind()));
 *   events.subscribe(ResourceEvent.class)
 *       .filter(e -> e.resource() == ResourceType.VDISK)
 *       .async(4096, OverflowPolicy.DROP_OLDEST)
 *       .register(slowAuditor);
 *   source.start(events);
 * }
 * }</pre>
 *
 * <p>Guarantees: each subscription sees the events of one source in the order they were
 * published from one thread; a throwing listener is reported to the {@link ListenerErrorHandler}
 * and the others still run; {@link #close()} drains the queues for a grace period, then stops every
 * thread the dispatcher started. Publishing is allocation-free for synchronous subscriptions.
 * Thread-safe.
 */
public final class EventDispatcher implements EventSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
  private static final EventCategory[] CATEGORIES = EventCategory.values();
  private static final Subscriber[] NONE = new Subscriber[0];

  private final ListenerErrorHandler errorHandler;
  private final Duration closeGrace;
  private final int threads;
  private final Object lock = new Object();
  private final AtomicInteger names = new AtomicInteger();
  // one copy-on-write array per category: publish reads a single volatile slot and iterates
  private volatile Subscriber[][] table;
  private volatile ExecutorService pool;
  private volatile boolean closed;
  // guarded by lock, like the table, so observers see a registration's subscribing and closing
  // in order and each once
  private SubscriptionObserver[] observers = new SubscriptionObserver[0];

  private EventDispatcher(Builder b) {
    this.errorHandler = b.errorHandler;
    this.closeGrace = b.closeGrace;
    this.threads = b.threads;
    Subscriber[][] t = new Subscriber[CATEGORIES.length][];
    Arrays.fill(t, NONE);
    this.table = t;
  }

  /** A dispatcher with default settings. */
  public static EventDispatcher create() {
    return builder().build();
  }

  /** A builder for a dispatcher with its own settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Registers a synchronous listener for events of {@code type} (a record type or {@link VirtEvent}). */
  public <E extends VirtEvent> Registration on(Class<E> type, EventListener<? super E> listener) {
    return subscribe(type).register(listener);
  }

  /** Registers a synchronous listener for events of {@code type} that match {@code filter}. */
  public <E extends VirtEvent> Registration on(
      Class<E> type, Predicate<? super E> filter, EventListener<? super E> listener) {
    return subscribe(type).filter(filter).register(listener);
  }

  /** Registers a synchronous listener for every event matching {@code filter}. */
  public Registration on(Predicate<? super VirtEvent> filter, EventListener<? super VirtEvent> listener) {
    return subscribe(VirtEvent.class).filter(filter).register(listener);
  }

  /** Starts a subscription to events of {@code type}, to configure before {@code register}. */
  public <E extends VirtEvent> SubscriptionBuilder<E> subscribe(Class<E> type) {
    return new SubscriptionBuilder<>(this, Checks.notNull("type", type));
  }

  @Override
  public void publish(VirtEvent event) {
    if (closed) {
      throw new IllegalStateException("dispatcher is closed; stop event sources before closing it");
    }
    Subscriber[] subs = table[event.category().ordinal()];
    for (Subscriber s : subs) {
      s.offer(event);
    }
  }

  /** Every active registration, for monitoring. */
  public List<Registration> registrations() {
    return List.copyOf(subscribers());
  }

  private List<Subscriber> subscribers() {
    List<Subscriber> all = new ArrayList<>();
    for (Subscriber[] row : table) {
      for (Subscriber s : row) {
        if (!all.contains(s)) {
          all.add(s);
        }
      }
    }
    return all;
  }

  /**
   * Tells {@code observer} of every active registration now, then of every subscription made or
   * closed later, until {@link #removeSubscriptionObserver}. See {@link SubscriptionObserver} for
   * the thread it is called on.
   */
  public void addSubscriptionObserver(SubscriptionObserver observer) {
    Checks.notNull("observer", observer);
    synchronized (lock) {
      SubscriptionObserver[] o = Arrays.copyOf(observers, observers.length + 1);
      o[o.length - 1] = observer;
      observers = o;
      for (Subscriber s : subscribers()) {
        tell(observer, s, true);
      }
    }
  }

  /** Stops telling {@code observer}; false when it was not added. */
  public boolean removeSubscriptionObserver(SubscriptionObserver observer) {
    synchronized (lock) {
      List<SubscriptionObserver> o = new ArrayList<>(Arrays.asList(observers));
      boolean removed = o.remove(observer);
      observers = o.toArray(new SubscriptionObserver[0]);
      return removed;
    }
  }

  // an observer is monitoring: what it throws must not fail a subscribe or a close
  private static void tell(SubscriptionObserver o, Registration r, boolean subscribed) {
    try {
      if (subscribed) {
        o.subscribed(r);
      } else {
        o.closed(r);
      }
    } catch (RuntimeException e) {
      LOG.warn("subscription observer {} threw for '{}'", o, r.name(), e);
    }
  }

  /** Events discarded so far by the overflow policies of active registrations. */
  public long dropped() {
    long n = 0;
    for (Registration r : registrations()) {
      n += r.dropped();
    }
    return n;
  }

  /** True once {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops accepting events, gives asynchronous subscriptions up to the grace period to deliver
   * what they hold, then closes every registration and stops the delivery threads. Idempotent.
   */
  @Override
  public void close() {
    ExecutorService p;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      p = pool;
    }
    long deadline = System.nanoTime() + Checks.saturatedNanos(closeGrace);
    for (Subscriber s : subscribers()) {
      while (!s.isIdle() && System.nanoTime() - deadline < 0) {
        sleepBriefly();
      }
    }
    for (Registration r : registrations()) {
      r.close();
    }
    if (p != null) {
      p.shutdownNow();
      try {
        // what still runs now is a listener stuck past the grace period: give it a moment only
        if (!p.awaitTermination(2, TimeUnit.SECONDS)) {
          LOG.warn("event delivery threads did not stop: a listener ignores interruption");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  <E extends VirtEvent> Registration add(
      Class<E> type, Predicate<? super E> filter, EventListener<? super E> listener, String name,
      int capacity, OverflowPolicy policy) {
    Checks.notNull("listener", listener);
    String n = name != null ? name : "listener-" + names.incrementAndGet();
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("dispatcher is closed");
      }
      Subscriber s = capacity == 0
          ? new SyncSubscriber<>(n, type, filter, listener, errorHandler, this::remove)
          : new AsyncSubscriber<>(n, type, filter, listener, errorHandler, this::remove, capacity, policy,
              pool());
      Subscriber[][] t = table.clone();
      for (EventCategory c : CATEGORIES) {
        if (type.isAssignableFrom(c.eventType())) {
          Subscriber[] row = Arrays.copyOf(t[c.ordinal()], t[c.ordinal()].length + 1);
          row[row.length - 1] = s;
          t[c.ordinal()] = row;
        }
      }
      table = t;
      for (SubscriptionObserver o : observers) {
        tell(o, s, true);
      }
      return s;
    }
  }

  private void remove(Subscriber s) {
    synchronized (lock) {
      Subscriber[][] t = table.clone();
      boolean found = false;
      for (int i = 0; i < t.length; i++) {
        Subscriber[] row = t[i];
        int at = Arrays.asList(row).indexOf(s);
        if (at >= 0) {
          Subscriber[] shorter = new Subscriber[row.length - 1];
          System.arraycopy(row, 0, shorter, 0, at);
          System.arraycopy(row, at + 1, shorter, at, row.length - at - 1);
          t[i] = shorter;
          found = true;
        }
      }
      table = t;
      if (found) {
        for (SubscriptionObserver o : observers) {
          tell(o, s, false);
        }
      }
    }
  }

  // called under lock: threads are started only once someone subscribes asynchronously.
  // A ForkJoinPool in FIFO mode: drain tasks resubmit themselves often, and its submission and
  // wake-up path is much cheaper than a ThreadPoolExecutor's queue and signal.
  private ExecutorService pool() {
    if (pool == null) {
      AtomicInteger n = new AtomicInteger();
      ForkJoinPool.ForkJoinWorkerThreadFactory factory = fjp -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fjp);
        t.setName("virthooks-dispatch-" + n.getAndIncrement());
        t.setDaemon(true);
        return t;
      };
      pool = new ForkJoinPool(threads, factory, null, true);
    }
    return pool;
  }

  /** Settings of an {@link EventDispatcher}. */
  public static final class Builder {
    private ListenerErrorHandler errorHandler = (r, e, t) ->
        LOG.warn("listener '{}' threw on {} event {}", r.name(), e.category().jsonName(), e.action(), t);
    private Duration closeGrace = Duration.ofSeconds(5);
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

    private Builder() {}

    /** Who is told when a listener throws; by default a warning in the log. */
    public Builder errorHandler(ListenerErrorHandler handler) {
      this.errorHandler = Checks.notNull("errorHandler", handler);
      return this;
    }

    /** How long {@link #close()} waits for queued events to be delivered; default 5 s. */
    public Builder closeGrace(Duration grace) {
      Checks.notNull("closeGrace", grace);
      if (grace.isNegative()) {
        throw new IllegalArgumentException("closeGrace must not be negative: " + grace);
      }
      this.closeGrace = grace;
      return this;
    }

    /** How many threads deliver to asynchronous subscriptions; default the number of cores, at least 2. */
    public Builder deliveryThreads(int n) {
      this.threads = Checks.inRange("deliveryThreads", n, 1, 1024);
      return this;
    }

    /** The dispatcher. */
    public EventDispatcher build() {
      return new EventDispatcher(this);
    }
  }
}
