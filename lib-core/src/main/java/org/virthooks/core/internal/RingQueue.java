package org.virthooks.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free queue for many producers and many consumers (Dmitry Vyukov's bounded MPMC
 * ring): each slot carries a sequence number that tells producers and consumers whose turn it is,
 * so an offer or a poll costs one CAS and never allocates. Used under {@code DROP_OLDEST}, where
 * publishers discard the oldest event and so are consumers too; see {@link MpscRing} for the rest.
 *
 * @param <E> element type
 */
public final class RingQueue<E> {
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(RingQueue.class, "head", long.class);
      TAIL = l.findVarHandle(RingQueue.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final Object[] items;
  private final AtomicLongArray seqs;
  // padding keeps producers' tail and consumers' head off one cache line
  @SuppressWarnings("unused")
  private long p1, p2, p3, p4, p5, p6, p7;
  private volatile long head;
  @SuppressWarnings("unused")
  private long q1, q2, q3, q4, q5, q6, q7;
  private volatile long tail;

  /** A queue holding {@code capacity} rounded up to a power of two. */
  public RingQueue(int capacity) {
    int cap = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
    this.mask = cap - 1;
    this.items = new Object[cap];
    this.seqs = new AtomicLongArray(cap);
    for (int i = 0; i < cap; i++) {
      seqs.set(i, i);
    }
  }

  /** The capacity after rounding. */
  public int capacity() {
    return mask + 1;
  }

  /** Adds {@code e} unless the queue is full. */
  public boolean offer(E e) {
    long pos = tail;
    while (true) {
      int cell = (int) pos & mask;
      long seq = seqs.getAcquire(cell);
      long dif = seq - pos;
      if (dif == 0) {
        if (TAIL.compareAndSet(this, pos, pos + 1)) {
          items[cell] = e;
          seqs.setRelease(cell, pos + 1);
          return true;
        }
        pos = tail;
      } else if (dif < 0) {
        return false;
      } else {
        pos = tail;
      }
    }
  }

  /** Removes and returns the oldest element, or null when empty. */
  @SuppressWarnings("unchecked")
  public E poll() {
    long pos = head;
    while (true) {
      int cell = (int) pos & mask;
      long seq = seqs.getAcquire(cell);
      long dif = seq - (pos + 1);
      if (dif == 0) {
        if (HEAD.compareAndSet(this, pos, pos + 1)) {
          E e = (E) items[cell];
          items[cell] = null;
          seqs.setRelease(cell, pos + mask + 1);
          return e;
        }
        pos = head;
      } else if (dif < 0) {
        return null;
      } else {
        pos = head;
      }
    }
  }

  /** An estimate of the number of elements, exact when nobody is offering or polling. */
  public int size() {
    long h = head;
    long t = tail;
    return (int) Math.max(0, Math.min(t - h, mask + 1));
  }

  /** True when the queue looks empty. */
  public boolean isEmpty() {
    return tail == head;
  }

  /** Removes every element; returns how many. */
  public int clear() {
    int n = 0;
    while (poll() != null) {
      n++;
    }
    return n;
  }
}
