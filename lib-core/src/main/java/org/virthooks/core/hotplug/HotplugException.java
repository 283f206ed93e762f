package org.virthooks.core.hotplug;

/**
 * A hotplug handler cannot do what it was asked; the message is written to xenstore's
 * {@code hotplug-error} for the toolstack to show, so make it one readable line.
 */
public class HotplugException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean busy;

  /** A failure. */
  public HotplugException(String message) {
    this(message, null, false);
  }

  /** A failure with a cause. */
  public HotplugException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private HotplugException(String message, Throwable cause, boolean busy) {
    super(message, cause);
    this.busy = busy;
  }

  /** The device is in use by another guest in a conflicting mode ({@code hotplug-status = busy}). */
  public static HotplugException busy(String message) {
    return new HotplugException(message, null, true);
  }

  /** True when made by {@link #busy(String)}. */
  public boolean isBusy() {
    return busy;
  }
}
