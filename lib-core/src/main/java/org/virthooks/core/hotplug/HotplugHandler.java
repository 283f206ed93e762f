package org.virthooks.core.hotplug;

/**
 * Serves a Xen block hotplug script in Java. The runner in virthooks-xenhotplug calls it for each
 * operation, writes its answers where libxl (or the 2013 interface proposal) expects them and
 * enforces the ordering guarantees: add, remove, localattach and localdetach only after a
 * successful prepare; remove also after a failed add; localdetach also after a failed
 * localattach. Every method has a do-nothing default except {@link #add}.
 *
 * <p>Like every hook: finish within the toolstack's timeout (libxl kills a script after 40 s),
 * do not call back into the toolstack, and throw {@link HotplugException} with a one-line message
 * to fail; {@link HotplugException#busy} for a device already used in a conflicting mode.
 */
public interface HotplugHandler {
  /** The interface version this handler supports; 1 unless overridden. */
  default int version() {
    return 1;
  }

  /** Slow work ahead of {@link #add}; nothing by default. */
  default void prepare(HotplugRequest request) throws HotplugException {}

  /** Connects the device and returns the block device the guest will see. */
  BlockDevice add(HotplugRequest request) throws HotplugException;

  /** Disconnects the device; must cope with a previous {@link #add} that failed. */
  default void remove(HotplugRequest request) throws HotplugException {}

  /** Makes the guest's disk a block device in this domain; by default the same as {@link #add}. */
  default BlockDevice localAttach(HotplugRequest request) throws HotplugException {
    return add(request);
  }

  /** Undoes {@link #localAttach}; by default the same as {@link #remove}. */
  default void localDetach(HotplugRequest request) throws HotplugException {
    remove(request);
  }

  /** Undoes {@link #prepare}; nothing by default. */
  default void unprepare(HotplugRequest request) throws HotplugException {}
}
