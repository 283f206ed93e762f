package org.virthooks.core.relay;

/**
 * What an installed relay client does when the relay server cannot be reached or does not answer
 * in time (the management tool is down or restarting).
 */
public enum UnreachablePolicy {
  /**
   * Exit 0 with a warning on stderr: the operation goes on without the hooks. The default,
   * because a management tool that is down must not stop every guest on the host from starting
   * (or being torn down); use {@link #REFUSE} when a hook enforces policy that must never be
   * skipped.
   */
  PROCEED,
  /** Exit 1 with the reason on stderr: the daemon refuses the operation. */
  REFUSE
}
