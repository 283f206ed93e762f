package org.virthooks.core.hook;

import org.virthooks.core.internal.JsonNames;

/** When a hook runs relative to the operation it is attached to, and what its answer can do. */
public enum HookPhase {
  /**
   * Before the operation: every hook may refuse with a message; the first refusal wins, stops the
   * chain, and its message is returned to the daemon.
   */
  BEFORE,
  /**
   * After the operation: every hook runs; refusals, exceptions and overruns are collected and
   * reported, never fatal, because nothing can be undone any more.
   */
  AFTER,
  /**
   * At a decision point that carries a document (libvirt's migrate and restore): hooks are chained
   * in order, each may return a rewritten document that the next one receives, or refuse.
   */
  FILTER;

  /** The lower-case name: {@code before}, {@code after}, {@code filter}. */
  public String jsonName() {
    return JsonNames.of(this);
  }
}
