package org.virthooks.core.feed;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.virthooks.core.internal.Checks;

/**
 * Reconnection delays: exponential from {@code initial} up to {@code max}, each drawn between half
 * and all of that ("equal jitter"), so that clients that lost the same daemon do not come back in
 * lockstep.
 *
 * @param initial the delay after the first failure
 * @param max the largest delay
 */
public record Backoff(Duration initial, Duration max) {
  /** The default: 1 s, doubling up to 60 s. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  /** Validates: both positive, {@code initial <= max}. */
  public Backoff {
    Checks.notNull("initial", initial);
    Checks.notNull("max", max);
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", "
          + max);
    }
  }

  /** The delay before attempt {@code failures + 1}, after {@code failures} (1 or more) in a row. */
  public Duration delay(int failures) {
    long base = initial.toMillis() << Math.min(20, Math.max(0, failures - 1));
    long capped = Math.min(max.toMillis(), base);
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
  }
}
