package org.virthooks.benchmarks.spool;

import java.util.Arrays;

/** The sizes of records {@code first ..} in order, in a growable ring of ints: the byte bound. */
final class SizeRing {
  private int[] sizes = new int[1024];
  private int head;
  private int count;
  private long first;

  SizeRing(long first) {
    this.first = first;
  }

  void add(int size) {
    if (count == sizes.length) {
      int[] grown = new int[sizes.length * 2];
      for (int i = 0; i < count; i++) {
        grown[i] = sizes[(head + i) % sizes.length];
      }
      sizes = grown;
      head = 0;
    }
    sizes[(head + count) % sizes.length] = size;
    count++;
  }

  /** Forgets records below {@code sequence}; answers their bytes. */
  long removeBelow(long sequence) {
    long bytes = 0;
    while (first < sequence && count > 0) {
      bytes += sizes[head];
      head = (head + 1) % sizes.length;
      count--;
      first++;
    }
    first = Math.max(first, sequence);
    return bytes;
  }

  /** The size of the oldest record. */
  int oldest() {
    return sizes[head];
  }

  long first() {
    return first;
  }

  int count() {
    return count;
  }

  @Override
  public String toString() {
    return "SizeRing" + Arrays.toString(new long[] {first, count});
  }
}
