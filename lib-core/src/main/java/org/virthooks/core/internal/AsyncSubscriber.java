package org.virthooks.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.VirtEvent;

/**
 * Queues events in a lock-free ring and drains them on a shared pool, one drain task per
 * subscriber at a time (so order is kept without a thread per subscriber). A drain hands the
 * thread back after a bounded number of events so that one busy subscriber cannot starve others,
 * and spins briefly before going idle because rescheduling costs far more than a short wait.
 */
public final class AsyncSubscriber<E> extends Subscriber {
  private static final int EVENTS_PER_TURN = 4096;
  private static final int IDLE_SPINS = 256;
  private static final int SPINS_BETWEEN_LOOKS = 64;
  private static final long TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;
  // terminal: the pool refused a drain (the dispatcher is closing); nothing is queued any more
  private static final int CLOSED = 2;

  // DROP_OLDEST discards from the publishing side, so it needs a queue with many consumers
  private final RingQueue<VirtEvent> shared;
  private final MpscRing<VirtEvent> single;
  private final OverflowPolicy policy;
  private final Executor executor;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final LongAdder dropped = new LongAdder();
  private final Runnable drainTask = this::drain;

  /** See {@link Subscriber}; {@code capacity} bounds the queue (rounded up to a power of two). */
  public AsyncSubscriber(String name, Predicate<? super E> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose, int capacity,
      OverflowPolicy policy, Executor executor) {
    super(name, filter, listener, errorHandler, onClose);
    this.shared = policy == OverflowPolicy.DROP_OLDEST ? new RingQueue<>(capacity) : null;
    this.single = shared == null ? new MpscRing<>(capacity) : null;
    this.policy = policy;
    this.executor = executor;
  }

  private boolean put(VirtEvent e) {
    return single != null ? single.offer(e) : shared.offer(e);
  }

  private VirtEvent take() {
    return single != null ? single.poll() : shared.poll();
  }

  private boolean empty() {
    return single != null ? single.isEmpty() : shared.isEmpty();
  }

  @Override
  public void offer(VirtEvent event) {
    if (!active || !accepts(event)) {
      return;
    }
    if (state.get() == CLOSED) {
      dropped.increment();
      return;
    }
    if (!put(event)) {
      switch (policy) {
        case BLOCK -> {
          if (!waitForRoom(event)) {
            return;
          }
        }
        case DROP_NEWEST -> {
          dropped.increment();
          return;
        }
        case DROP_OLDEST -> {
          do {
            if (shared.poll() != null) {
              dropped.increment();
            }
          } while (!shared.offer(event));
        }
      }
    }
    if (state.get() == IDLE && state.compareAndSet(IDLE, SCHEDULED)) {
      schedule();
    }
  }

  // full queue under BLOCK: a drain is already scheduled (the queue is not empty), so wait for it
  private boolean waitForRoom(VirtEvent event) {
    Room room = new Room(event);
    if (ForkJoinTask.inForkJoinPool()) {
      // a listener publishing from a delivery thread: let the pool add a thread meanwhile, or the
      // drain this publisher waits for could be queued behind it on the same thread
      try {
        ForkJoinPool.managedBlock(room);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      while (!room.isReleasable()) {
        room.pause();
      }
    }
    if (!room.put) {
      dropped.increment();
    }
    return room.put;
  }

  /** One publisher's wait for room, in the form ForkJoinPool.managedBlock wants. */
  private final class Room implements ForkJoinPool.ManagedBlocker {
    private final VirtEvent event;
    private int spins;
    boolean put;
    boolean givenUp;

    Room(VirtEvent event) {
      this.event = event;
    }

    @Override
    public boolean isReleasable() {
      if (put || givenUp) {
        return true;
      }
      if (put(event)) {
        put = true;
        return true;
      }
      if (!active || state.get() == CLOSED || Thread.currentThread().isInterrupted()) {
        givenUp = true;
        return true;
      }
      if (state.get() == IDLE && state.compareAndSet(IDLE, SCHEDULED)) {
        schedule();
      }
      return false;
    }

    @Override
    public boolean block() {
      while (!isReleasable()) {
        pause();
      }
      return true;
    }

    void pause() {
      if (++spins < 100) {
        Thread.onSpinWait();
      } else if (spins < 2000) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
      }
    }
  }

  // called only by the thread that owns SCHEDULED, so at most one thread is ever in here
  private void schedule() {
    try {
      executor.execute(drainTask);
    } catch (RejectedExecutionException e) {
      // the dispatcher is shutting down: nothing will drain this queue any more. CLOSED is
      // terminal, so no other thread can schedule, and this one may act as the single consumer
      state.set(CLOSED);
      dropped.add(single != null ? single.clear() : shared.clear());
    }
  }

  private void drain() {
    int delivered = 0;
    long turnEnd = System.nanoTime() + TURN_NANOS;
    // a turn ends after a number of events or some time, whichever comes first, so that a slow
    // listener gives its thread to the other subscriptions now and then
    while (delivered < EVENTS_PER_TURN
        && ((delivered & 63) != 0 || System.nanoTime() - turnEnd < 0)) {
      VirtEvent e = take();
      if (e == null) {
        e = spinForMore();
        if (e == null) {
          state.set(IDLE);
          // a publisher may have queued after the last poll and seen SCHEDULED: look once more
          if (empty() || !state.compareAndSet(IDLE, SCHEDULED)) {
            return;
          }
          continue;
        }
      }
      if (active) {
        deliver(e);
      }
      delivered++;
    }
    schedule();
  }

  // waiting on this queue is worth it only while no other drain wants the thread
  private VirtEvent spinForMore() {
    for (int i = 1; i <= IDLE_SPINS; i++) {
      Thread.onSpinWait();
      VirtEvent e = take();
      if (e != null) {
        return e;
      }
      if (i % SPINS_BETWEEN_LOOKS == 0 && othersWaiting()) {
        return null;
      }
    }
    return null;
  }

  private boolean othersWaiting() {
    return executor instanceof ForkJoinPool p
        ? p.getQueuedSubmissionCount() > 0 || p.getQueuedTaskCount() > 0
        : true;
  }

  @Override
  public boolean isIdle() {
    return state.get() != SCHEDULED && empty();
  }

  @Override
  protected void discardQueued() {
    // polling here could race the drain, the queue's only consumer: the drain discards instead,
    // since it skips delivery once the subscription is inactive
    if (shared != null) {
      shared.clear();
    }
  }

  @Override
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public int queued() {
    return single != null ? single.size() : shared.size();
  }
}
