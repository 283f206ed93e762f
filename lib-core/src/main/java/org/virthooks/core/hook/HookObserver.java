package org.virthooks.core.hook;

import java.time.Duration;

/**
 * Told of every {@link HookRegistry#invoke} once it has an outcome: for metrics, audit logs or
 * tracing. Registered with {@link HookRegistry#addObserver}.
 *
 * <p>It runs on the invoking thread before {@code invoke} returns, so it must be quick; what it
 * throws is logged and does not change the outcome.
 */
@FunctionalInterface
public interface HookObserver {
  /**
   * One call of the hooks at {@code outcome.point()} ended.
   *
   * @param outcome what the hooks decided and what failed (an overrun is a failure with reason
   *     {@link HookFailure.Reason#DEADLINE})
   * @param took from the start of {@code invoke} to its outcome, every hook of the point included
   */
  void invoked(HookOutcome outcome, Duration took);
}
