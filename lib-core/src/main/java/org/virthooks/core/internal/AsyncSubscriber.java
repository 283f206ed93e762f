package org.virthooks.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.VirtEvent;

/**
 * Queues events in a bounded lock-free queue (JCTools') and drains them on a shared pool, one
 * drain task per subscriber at a time (so order is kept without a thread per subscriber). A drain
 * hands the thread back after a bounded number of events so that one busy subscriber cannot
 * starve others, and goes idle as soon as its queue is empty: spinning for more takes the core
 * from the publisher on small machines (measured: 4 subscribers on 2 cores ran at half the rate),
 * while starting the drain again is cheap. A publisher facing a full queue parks and is woken by
 * the drain once it has made room.
 */
public final class AsyncSubscriber<E> extends Subscriber {
  private static final int EVENTS_PER_TURN = 4096;
  private static final long TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;
  // terminal: the pool refused a drain (the dispatcher is closing); nothing is queued any more
  private static final int CLOSED = 2;
  private static final int SPINS_BEFORE_PARK = 64;
  // a bound on each park, in case a wake-up is missed
  private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  private static final VarHandle WAITER;
  private static final VarHandle DELIVERED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      WAITER = lookup.findVarHandle(AsyncSubscriber.class, "waiter", Thread.class);
      DELIVERED = lookup.findVarHandle(AsyncSubscriber.class, "delivered", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // JCTools' queues in their java.util.concurrent.atomic form: the sun.misc.Unsafe form prints a
  // warning on JDK 24 and later and its methods are to be removed, and it was not steadily
  // faster; neither was measurably slower than the rings these replaced (docs/performance.md).
  // Many producers and the drain as the only consumer, except under DROP_OLDEST, where
  // publishers discard the oldest event and so are consumers too
  private final MpmcAtomicArrayQueue<VirtEvent> shared;
  private final MpscAtomicArrayQueue<VirtEvent> single;
  private final OverflowPolicy policy;
  private final Executor executor;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final LongAdder dropped = new LongAdder();
  private final DrainTask drainTask = new DrainTask();
  // a publisher parked on a full queue, woken by the drain once it has made room
  private volatile Thread waiter;
  // written only by the drain, which runs on one thread at a time (handed over through state):
  // a release store is enough for readers, no CAS or adder needed
  @SuppressWarnings("unused")
  private long delivered;

  /** See {@link Subscriber}; {@code capacity} bounds the queue (rounded up to a power of two). */
  public AsyncSubscriber(String name, Class<? extends VirtEvent> type, Predicate<? super E> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose, int capacity,
      OverflowPolicy policy, Executor executor) {
    super(name, type, filter, listener, errorHandler, onClose);
    // JCTools rounds the capacity up to a power of two; its MPMC queue wants at least 2
    int cap = Math.max(2, capacity);
    this.shared = policy == OverflowPolicy.DROP_OLDEST ? new MpmcAtomicArrayQueue<>(cap) : null;
    this.single = shared == null ? new MpscAtomicArrayQueue<>(cap) : null;
    this.policy = policy;
    this.executor = executor;
  }

  // offer and poll are JCTools' strict ones (false only when full, null only when empty), which
  // the drain's idle check relies on; the relaxed ones may fail while another thread is midway
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
    room.done();
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
      if (++spins < SPINS_BEFORE_PARK) {
        Thread.onSpinWait();
        return;
      }
      // park rather than spin or yield: on a small machine the publisher shares a core with the
      // drain it waits for. Register first, then look once more, so a wake-up cannot be missed
      Thread me = Thread.currentThread();
      if (waiter == me || WAITER.compareAndSet(AsyncSubscriber.this, null, me)) {
        if (!isReleasable()) {
          LockSupport.parkNanos(AsyncSubscriber.this, PARK_NANOS);
        }
      } else {
        // another publisher is the registered waiter: look again now and then
        LockSupport.parkNanos(AsyncSubscriber.this, PARK_NANOS);
      }
    }

    void done() {
      Thread me = Thread.currentThread();
      if (waiter == me) {
        WAITER.compareAndSet(AsyncSubscriber.this, me, null);
      }
    }
  }

  // wakes a parked publisher; the full fence orders the slots freed before it against the read
  private void wakeWaiter() {
    VarHandle.fullFence();
    Thread t = waiter;
    if (t != null && WAITER.compareAndSet(this, t, null)) {
      LockSupport.unpark(t);
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
      dropped.add(clear());
      wakeWaiter();
    }
  }

  // the single consumer only (or any thread under DROP_OLDEST); JCTools' clear() does not count
  private int clear() {
    int n = 0;
    while (take() != null) {
      n++;
    }
    return n;
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
        // one yield, not a spin: it hands the core to a publisher that shares it, and costs
        // little otherwise; going idle at once or spinning both halved the rate (performance.md)
        Thread.yield();
        e = take();
      }
      if (e == null) {
        state.set(IDLE);
        if (waiter != null) {
          wakeWaiter();
        }
        // a publisher may have queued after the last poll and seen SCHEDULED: look once more
        if (empty() || !state.compareAndSet(IDLE, SCHEDULED)) {
          return;
        }
        continue;
      }
      if (active) {
        DELIVERED.setRelease(this, (long) DELIVERED.getOpaque(this) + 1);
        deliver(e);
      }
      if ((++delivered & 63) == 0 && waiter != null) {
        wakeWaiter();
      }
    }
    if (waiter != null) {
      wakeWaiter();
    }
    schedule();
  }

  /**
   * The drain as a task that never completes, so the pool takes it again and again without
   * wrapping it; any other executor runs it as a Runnable.
   */
  @SuppressWarnings("serial")
  private final class DrainTask extends ForkJoinTask<Void> implements Runnable {
    @Override
    public Void getRawResult() {
      return null;
    }

    @Override
    protected void setRawResult(Void value) {}

    @Override
    protected boolean exec() {
      drain();
      return false;
    }

    @Override
    public void run() {
      drain();
    }
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
      clear();
    }
  }

  @Override
  public long delivered() {
    return (long) DELIVERED.getAcquire(this);
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
