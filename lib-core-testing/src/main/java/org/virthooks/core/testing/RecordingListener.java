package org.virthooks.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.virthooks.core.EventListener;
import org.virthooks.core.VirtEvent;

/**
 * A listener that keeps every event it receives, with waiting assertions for asynchronous
 * delivery. Thread-safe. Failed waits throw {@link AssertionError} listing what did arrive, so
 * it works with JUnit 5 or any other test framework.
 *
 * <pre>{@code
 * RecordingListener<DomainEvent> rec = new RecordingListener<>();
 * dispatcher.on(DomainEvent.class, rec);
 * source.start();
 * DomainEvent started = rec.awaitMatch(e -> e.kind() == DomainEvent.Kind.STARTED, Duration.ofSeconds(5));
 * }</pre>
 *
 * @param <E> the event type recorded
 */
public final class RecordingListener<E extends VirtEvent> implements EventListener<E> {
  private final List<E> events = new ArrayList<>();

  @Override
  public void onEvent(E event) {
    synchronized (events) {
      events.add(event);
      events.notifyAll();
    }
  }

  /** A copy of what arrived so far, in arrival order. */
  public List<E> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** How many events arrived so far. */
  public int count() {
    synchronized (events) {
      return events.size();
    }
  }

  /** Forgets what arrived so far. */
  public void clear() {
    synchronized (events) {
      events.clear();
    }
  }

  /**
   * Waits until at least {@code n} events arrived and returns the first {@code n}.
   *
   * @throws AssertionError when fewer arrived within {@code timeout}
   */
  public List<E> awaitCount(int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (events.size() < n) {
        if (!waitUntil(end)) {
          throw new AssertionError("expected " + n + " events within " + timeout + " but got "
              + events.size() + ": " + describe(events));
        }
      }
      return List.copyOf(events.subList(0, n));
    }
  }

  /**
   * Waits for the first event matching {@code condition} and returns it.
   *
   * @throws AssertionError when none arrived within {@code timeout}
   */
  public E awaitMatch(Predicate<? super E> condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    synchronized (events) {
      while (true) {
        for (; checked < events.size(); checked++) {
          if (condition.test(events.get(checked))) {
            return events.get(checked);
          }
        }
        if (!waitUntil(end)) {
          throw new AssertionError("no matching event within " + timeout + "; got "
              + events.size() + ": " + describe(events));
        }
      }
    }
  }

  /**
   * Checks that no further event arrives for {@code quiet} (use after the expected ones).
   *
   * @throws AssertionError naming the extra events
   */
  public void assertNoMoreThan(int n, Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    synchronized (events) {
      while (waitUntil(end)) {
        if (events.size() > n) {
          break;
        }
      }
      if (events.size() > n) {
        throw new AssertionError("expected at most " + n + " events but got " + events.size()
            + ": " + describe(events));
      }
    }
  }

  // caller holds the lock; false once the deadline has passed
  private boolean waitUntil(long endNanos) {
    long left = endNanos - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    try {
      events.wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for events", e);
    }
    return true;
  }

  private static String describe(List<? extends VirtEvent> list) {
    List<String> s = new ArrayList<>();
    for (VirtEvent e : list) {
      s.add(e.category().jsonName() + "/" + e.kindName() + "(" + e.action() + ")");
      if (s.size() == 20) {
        s.add("...");
        break;
      }
    }
    return s.toString();
  }
}
