package org.virthooks.core;

import org.virthooks.core.internal.JsonNames;

/** What was done to a resource or configuration. */
public enum Operation {
  /** Added, created, attached, defined. */
  ADD,
  /** Changed in place. */
  SET,
  /** Removed, detached, undefined. */
  REMOVE,
  /** A removal was attempted and failed (libvirt DEVICE_REMOVAL_FAILED). */
  REMOVE_FAILED,
  /** Started or activated (a network). */
  START,
  /** Stopped or deactivated (a network). */
  STOP,
  /** An operation this version does not know: read the event's action. */
  OTHER;

  /** The lower-case name used in JSON ({@code remove-failed}). */
  public String jsonName() {
    return JsonNames.of(this);
  }

  /** The operation named {@code name} ({@code add}, {@code set}, ...), or {@link #OTHER}. */
  public static Operation parse(String name) {
    return JsonNames.parse(Operation.class, name, OTHER);
  }
}
