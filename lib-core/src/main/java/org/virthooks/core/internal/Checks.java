package org.virthooks.core.internal;

/** Argument checks whose messages name the field and quote the bad value. */
public final class Checks {
  private Checks() {}

  /** Returns {@code value} when it is neither null nor blank. */
  public static String notBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be null or blank: "
          + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  /** Returns {@code value} when it is not negative. */
  public static long notNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + value);
    }
    return value;
  }

  /** Returns {@code value} when it is within {@code [min, max]}. */
  public static int inRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  /** {@code d} in nanoseconds, capped at about 146 years instead of overflowing. */
  public static long saturatedNanos(java.time.Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 2);
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  /** Returns {@code value} when it is not null. */
  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    return value;
  }
}
