package org.virthooks.core.hotplug;

import java.util.Locale;

/**
 * The operations of the libxl hotplug interface proposal (xen-devel, 2013): the single argument a
 * hotplug script is called with.
 */
public enum HotplugPhase {
  /** Report the interface version the script supports ({@code HOTPLUG_PATH/version}). */
  VERSION,
  /** First of all, before the disk is connected; may do slow work ahead of {@link #ADD}. */
  PREPARE,
  /** Connect the device to the domain: returns the block device. Only after a successful prepare. */
  ADD,
  /** Disconnect the device; also called when {@link #ADD} failed. */
  REMOVE,
  /** Make the guest's disk available as a block device in this domain: returns it. */
  LOCALATTACH,
  /** Undo {@link #LOCALATTACH}; also called when it failed. */
  LOCALDETACH,
  /** Last of all: undo {@link #PREPARE}. */
  UNPREPARE;

  /** The argument as the script receives it: {@code prepare}, {@code localattach}... */
  public String argument() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the phases that may only run after a successful {@link #PREPARE}. */
  public boolean needsPrepare() {
    return this == ADD || this == REMOVE || this == LOCALATTACH || this == LOCALDETACH;
  }

  /**
   * The phase named by a script argument.
   *
   * @throws IllegalArgumentException quoting the argument when it names no phase
   */
  public static HotplugPhase parse(String argument) {
    if (argument != null) {
      for (HotplugPhase p : values()) {
        if (p.argument().equals(argument.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("unknown hotplug operation '" + argument
        + "' (expected version, prepare, add, remove, localattach, localdetach or unprepare)");
  }
}
