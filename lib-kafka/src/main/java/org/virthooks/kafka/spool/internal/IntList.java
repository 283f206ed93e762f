package org.virthooks.kafka.spool.internal;

import java.util.Arrays;

/** A growable array of ints without boxing: a segment's record offsets, 4 bytes a record. */
final class IntList {
  private int[] values = new int[256];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int get(int index) {
    return values[index];
  }

  /** Keeps the first {@code size} values. */
  void truncate(int size) {
    this.size = Math.min(this.size, size);
  }

  int size() {
    return size;
  }
}
