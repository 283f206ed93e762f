package org.virthooks.core.hook;

import java.util.Optional;

/**
 * A hook that did not answer normally.
 *
 * @param hook the hook's name
 * @param reason what happened
 * @param message a human-readable line naming the hook
 * @param error what the hook threw, when it threw
 */
public record HookFailure(String hook, Reason reason, String message, Optional<Throwable> error) {
  /** How a hook failed. */
  public enum Reason {
    /** It threw. */
    THREW,
    /** It did not answer within its deadline. */
    DEADLINE,
    /** It refused at an after-point, where nothing can be refused. */
    REFUSED_TOO_LATE,
    /** It returned a verdict its phase does not allow (a rewrite at a before-point). */
    BAD_VERDICT
  }
}
