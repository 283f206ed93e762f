package org.virthooks.core.internal;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.virthooks.core.EventListener;
import org.virthooks.core.ListenerErrorHandler;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.VirtEvent;

/**
 * Queues events and drains them on a shared pool, one drain task per subscriber at a time (so
 * order is kept without a thread per subscriber). A drain hands the thread back after a few
 * batches so that one busy subscriber cannot starve the others.
 */
public final class AsyncSubscriber<E> extends Subscriber {
  private static final int BATCH = 256;
  private static final int BATCHES_PER_TURN = 16;
  private static final int IDLE = 0;
  private static final int SCHEDULED = 1;

  private final ArrayBlockingQueue<VirtEvent> queue;
  private final OverflowPolicy policy;
  private final Executor executor;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final LongAdder dropped = new LongAdder();
  private final ArrayList<VirtEvent> batch = new ArrayList<>(BATCH);
  private final Runnable drainTask = this::drain;

  /** See {@link Subscriber}; {@code capacity} bounds the queue. */
  public AsyncSubscriber(String name, Predicate<? super E> filter, EventListener<?> listener,
      ListenerErrorHandler errorHandler, Consumer<Subscriber> onClose, int capacity,
      OverflowPolicy policy, Executor executor) {
    super(name, filter, listener, errorHandler, onClose);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.policy = policy;
    this.executor = executor;
  }

  @Override
  public void offer(VirtEvent event) {
    if (!active || !accepts(event)) {
      return;
    }
    switch (policy) {
      case BLOCK -> {
        try {
          queue.put(event);
        } catch (InterruptedException e) {
          // the publisher was interrupted while waiting: keep its interrupt, count the loss
          Thread.currentThread().interrupt();
          dropped.increment();
          return;
        }
      }
      case DROP_NEWEST -> {
        if (!queue.offer(event)) {
          dropped.increment();
          return;
        }
      }
      case DROP_OLDEST -> {
        while (!queue.offer(event)) {
          if (queue.poll() != null) {
            dropped.increment();
          }
        }
      }
    }
    if (state.get() == IDLE && state.compareAndSet(IDLE, SCHEDULED)) {
      schedule();
    }
  }

  private void schedule() {
    try {
      executor.execute(drainTask);
    } catch (RejectedExecutionException e) {
      // the dispatcher is shutting down: nothing will drain this queue any more
      state.set(IDLE);
      dropped.add(queue.size());
      queue.clear();
    }
  }

  private void drain() {
    for (int turn = 0; turn < BATCHES_PER_TURN; turn++) {
      int n = queue.drainTo(batch, BATCH);
      if (n == 0) {
        state.set(IDLE);
        // a publisher may have queued after drainTo and seen SCHEDULED: look once more
        if (queue.isEmpty() || !state.compareAndSet(IDLE, SCHEDULED)) {
          return;
        }
        continue;
      }
      for (int i = 0; i < n; i++) {
        if (active) {
          deliver(batch.get(i));
        }
      }
      batch.clear();
    }
    schedule();
  }

  @Override
  public boolean isIdle() {
    return state.get() == IDLE && queue.isEmpty();
  }

  @Override
  protected void discardQueued() {
    queue.clear();
  }

  @Override
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public int queued() {
    return queue.size();
  }
}
