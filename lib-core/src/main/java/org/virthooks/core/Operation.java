package org.virthooks.core;

import org.virthooks.core.internal.JsonNames;

/** What was done to a resource or configuration. */
public enum Operation {
  /** Added, attached, defined (a configuration that now exists). */
  ADD,
  /** Changed in place. */
  SET,
  /** Removed, detached, undefined. */
  REMOVE,
  /** A removal was attempted and failed (libvirt DEVICE_REMOVAL_FAILED). */
  REMOVE_FAILED,
  /** Started or activated (a network, a storage pool). */
  START,
  /** Stopped or deactivated (a network, a storage pool). */
  STOP,
  /**
   * Brought into being on the host, apart from being defined: a node device that appeared or
   * was created, a storage pool's underlying storage built (libvirt CREATED).
   */
  CREATE,
  /**
   * Gone from the host, apart from being undefined: a node device removed or destroyed, a storage
   * pool's underlying storage deleted (libvirt DELETED).
   */
  DELETE,
  /** Read again from its backing: a storage pool's volumes refreshed (libvirt REFRESH). */
  REFRESH,
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
