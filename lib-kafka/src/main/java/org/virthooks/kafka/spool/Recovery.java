package org.virthooks.kafka.spool;

/**
 * What opening a spool directory found: records kept, and what a torn or corrupted tail cost.
 *
 * @param recordsKept unacknowledged records recovered intact
 * @param bytesCut bytes cut from the tail (0 when the tail was whole)
 * @param message one sentence for the log saying what was cut and where; empty when nothing was
 */
public record Recovery(long recordsKept, long bytesCut, String message) {
  /** Nothing to repair. */
  public static Recovery clean(long recordsKept) {
    return new Recovery(recordsKept, 0, "");
  }

  /** True when nothing was cut. */
  public boolean isClean() {
    return bytesCut == 0;
  }
}
