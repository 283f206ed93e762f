package org.virthooks.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free queue for many producers and one consumer, after JCTools'
 * {@code MpscArrayQueue}: producers claim a slot with one CAS on the producer index and publish
 * by an ordered store of the element itself, the consumer takes elements with no CAS and frees
 * each slot with an ordered store of its index. Producers read the consumer index only when
 * their cached limit runs out. Used for subscriptions whose policy never polls from the
 * publishing side ({@code BLOCK}, {@code DROP_NEWEST}); {@link #poll()} and {@link #clear()} must
 * only ever be called by one thread at a time.
 *
 * @param <E> element type
 */
public final class MpscRing<E> {
  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle PRODUCER_LIMIT;
  private static final VarHandle CONSUMER_INDEX;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PRODUCER_INDEX = l.findVarHandle(MpscRing.class, "producerIndex", long.class);
      PRODUCER_LIMIT = l.findVarHandle(MpscRing.class, "producerLimit", long.class);
      CONSUMER_INDEX = l.findVarHandle(MpscRing.class, "consumerIndex", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object[] slots;
  private final int mask;
  // padding keeps the producers' and the consumer's fields on separate cache lines
  @SuppressWarnings("unused")
  private long p0, p1, p2, p3, p4, p5, p6;
  private volatile long producerIndex;
  private volatile long producerLimit;
  @SuppressWarnings("unused")
  private long q0, q1, q2, q3, q4, q5, q6;
  private volatile long consumerIndex;
  @SuppressWarnings("unused")
  private long r0, r1, r2, r3, r4, r5, r6;

  /** A queue holding {@code capacity} rounded up to a power of two. */
  public MpscRing(int capacity) {
    int cap = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
    this.slots = new Object[cap];
    this.mask = cap - 1;
    PRODUCER_LIMIT.setRelease(this, (long) cap);
  }

  /** The capacity after rounding. */
  public int capacity() {
    return mask + 1;
  }

  /** Adds {@code e} unless the queue is full; any thread. */
  public boolean offer(E e) {
    long limit = (long) PRODUCER_LIMIT.getAcquire(this);
    long pi;
    do {
      pi = producerIndex;
      if (pi >= limit) {
        limit = consumerIndex + mask + 1;
        if (pi >= limit) {
          return false;
        }
        PRODUCER_LIMIT.setRelease(this, limit);
      }
    } while (!PRODUCER_INDEX.compareAndSet(this, pi, pi + 1));
    SLOT.setRelease(slots, (int) pi & mask, e);
    return true;
  }

  /** Removes and returns the oldest element, or null when empty; the single consumer only. */
  @SuppressWarnings("unchecked")
  public E poll() {
    long ci = (long) CONSUMER_INDEX.getOpaque(this);
    int slot = (int) ci & mask;
    Object e = SLOT.getAcquire(slots, slot);
    if (e == null) {
      if (ci == producerIndex) {
        return null;
      }
      // a producer has claimed the slot and is about to store into it
      do {
        Thread.onSpinWait();
        e = SLOT.getAcquire(slots, slot);
      } while (e == null);
    }
    SLOT.setOpaque(slots, slot, null);
    CONSUMER_INDEX.setRelease(this, ci + 1);
    return (E) e;
  }

  /** The number of elements, exact when nobody is offering or polling. */
  public int size() {
    long ci = consumerIndex;
    long pi = producerIndex;
    return (int) Math.max(0, Math.min(pi - ci, mask + 1));
  }

  /** True when nothing is queued or being queued. */
  public boolean isEmpty() {
    return consumerIndex == producerIndex;
  }

  /** Removes every element; the single consumer only. Returns how many. */
  public int clear() {
    int n = 0;
    while (poll() != null) {
      n++;
    }
    return n;
  }
}
