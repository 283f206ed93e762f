package org.virthooks.xen;

import java.io.IOException;

/**
 * xenstore refused a request: {@link #errno()} is the daemon's own error name ({@code ENOENT},
 * {@code EACCES}, {@code EAGAIN}...).
 */
public class XenstoreException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String errno;

  /** A refusal of the request described by {@code what}. */
  public XenstoreException(String errno, String what) {
    super(what + ": " + errno + describe(errno));
    this.errno = errno;
  }

  /** The error name as xenstored sent it. */
  public String errno() {
    return errno;
  }

  /** True when the node does not exist. */
  public boolean isNotFound() {
    return "ENOENT".equals(errno);
  }

  /** True when a transaction conflicted and must be retried from its start. */
  public boolean isConflict() {
    return "EAGAIN".equals(errno);
  }

  private static String describe(String errno) {
    return switch (errno) {
      case "ENOENT" -> " (no such node)";
      case "EACCES" -> " (permission denied)";
      case "EAGAIN" -> " (transaction conflicted, retry it)";
      case "EINVAL" -> " (invalid request)";
      case "EEXIST" -> " (already exists)";
      case "E2BIG" -> " (too big)";
      case "ENOSPC" -> " (quota exceeded)";
      case "ENOSYS" -> " (operation not supported)";
      case "EBUSY" -> " (busy)";
      default -> "";
    };
  }
}
