package org.virthooks.libvirt;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventListener;
import org.virthooks.core.VirtEvent;

/**
 * Optional, per subscription: turns the reboot pattern — a domain STOPPED soon followed by its
 * STARTED — into one {@link DomainEvent.Kind#REBOOTED} event, so that a consumer does not tear
 * down and rebuild what belongs to a guest that only rebooted. Off unless you wrap a listener:
 *
 * <pre>{@code
 * RebootCoalescer c = RebootCoalescer.wrap(myListener, Duration.ofSeconds(5));
 * events.on(VirtEvent.class, c);   // close c when done
 * }</pre>
 *
 * <p>A STOPPED is held for the window; events after it wait behind it so that order is kept.
 * When the same domain's STARTED arrives within the window the pair is delivered as one REBOOTED
 * event (the STARTED's header, action {@code COALESCED/<stopped>+<started>}, the STOPPED's
 * sequence number in attribute {@code stoppedSeq}: the gap in sequence numbers is intended);
 * otherwise the STOPPED and what waited behind it are delivered unchanged when the window ends.
 * Resynchronisation events are never held. The cost is latency on stops, which is why it is
 * off by default. Thread-safe; {@link #close()} delivers what is held and stops its timer thread.
 */
public final class RebootCoalescer implements EventListener<VirtEvent>, AutoCloseable {
  private final EventListener<? super VirtEvent> target;
  private final long windowNanos;
  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private boolean closed;

  private record Held(VirtEvent event, long since) {}

  private RebootCoalescer(EventListener<? super VirtEvent> target, Duration window) {
    this.target = target;
    this.windowNanos = window.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
        .setNameFormat("virthooks-libvirt-coalescer-%d").setDaemon(true).build());
  }

  /**
   * Wraps {@code target}; a STOPPED waits up to {@code window} for its STARTED.
   *
   * @throws IllegalArgumentException when the window is not positive
   */
  public static RebootCoalescer wrap(EventListener<? super VirtEvent> target, Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("coalescing window must be positive: " + window);
    }
    return new RebootCoalescer(target, window);
  }

  @Override
  public void onEvent(VirtEvent event) {
    synchronized (queue) {
      if (closed) {
        target.onEvent(event);
        return;
      }
      if (queue.isEmpty() && !holds(event)) {
        target.onEvent(event);
        return;
      }
      queue.add(new Held(event, System.nanoTime()));
      drain(false);
    }
  }

  private static boolean holds(VirtEvent e) {
    return e instanceof DomainEvent d && d.kind() == DomainEvent.Kind.STOPPED
        && !e.meta().attributes().containsKey("resync");
  }

  private static boolean startsSame(VirtEvent e, DomainEvent stopped) {
    return e instanceof DomainEvent d && d.kind() == DomainEvent.Kind.STARTED
        && d.domain().name().equals(stopped.domain().name())
        && !e.meta().attributes().containsKey("resync");
  }

  // caller holds the lock
  private void drain(boolean all) {
    while (!queue.isEmpty()) {
      Held head = queue.peek();
      if (holds(head.event())) {
        DomainEvent stopped = (DomainEvent) head.event();
        Held started = null;
        for (Iterator<Held> it = queue.iterator(); it.hasNext(); ) {
          Held h = it.next();
          if (h != head && startsSame(h.event(), stopped)) {
            started = h;
            it.remove();
            break;
          }
        }
        if (started != null) {
          queue.poll();
          target.onEvent(merge(stopped, (DomainEvent) started.event()));
          continue;
        }
        long left = head.since() + windowNanos - System.nanoTime();
        if (left > 0 && !all) {
          timer.schedule(this::expire, left, TimeUnit.NANOSECONDS);
          return; // everything behind waits: order is kept
        }
      }
      queue.poll();
      target.onEvent(head.event());
    }
  }

  private void expire() {
    synchronized (queue) {
      drain(false);
    }
  }

  static DomainEvent merge(DomainEvent stopped, DomainEvent started) {
    Map<String, String> a = new LinkedHashMap<>(started.meta().attributes());
    a.put("coalesced", "true");
    a.put("stoppedSeq", Long.toString(stopped.seq()));
    a.put("stoppedAction", stopped.action());
    var meta = new org.virthooks.core.EventMeta(started.meta().source(), started.meta().time(),
        started.seq(), "COALESCED/" + stopped.action() + "+" + started.action(), a);
    return DomainEvent.of(meta, started.domain(), DomainEvent.Kind.REBOOTED,
        stopped.detail().orElse("?") + "+" + started.detail().orElse("?"));
  }

  /** Delivers what is held, then stops the timer thread; later events pass straight through. */
  @Override
  public void close() {
    synchronized (queue) {
      drain(true);
      closed = true;
    }
    timer.shutdownNow();
  }
}
