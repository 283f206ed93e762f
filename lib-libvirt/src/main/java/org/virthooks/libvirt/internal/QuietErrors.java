package org.virthooks.libvirt.internal;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces libvirt's default error handler, which prints every error to stderr, with one that logs
 * at debug level; once per JVM. Errors still reach the caller (libvirt keeps the thread's last
 * error either way).
 */
public final class QuietErrors {
  private static final Logger LOG = LoggerFactory.getLogger("org.virthooks.libvirt");
  // strongly referenced: libvirt keeps the native trampoline
  private static final Libvirt.VirErrorCallback QUIET = (p, e) -> {
    if (LOG.isDebugEnabled() && e != null) {
      LOG.debug("libvirt error {}: {}", e.code, e.message);
    }
  };
  private static boolean installed;

  private QuietErrors() {}

  /** Installs the handler, once. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      Connect.setErrorCallback(QUIET);
    } catch (LibvirtException e) {
      throw new IllegalStateException("cannot replace libvirt's error handler: " + e.getMessage(),
          e);
    }
    installed = true;
  }
}
