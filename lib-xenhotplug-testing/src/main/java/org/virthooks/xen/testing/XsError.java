package org.virthooks.xen.testing;

/** A request the server refuses: becomes an ERROR reply carrying {@link #errno}. */
final class XsError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final String errno;

  XsError(String errno) {
    super(errno, null, false, false);
    this.errno = errno;
  }
}
