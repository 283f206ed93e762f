package org.virthooks.libvirt;

/**
 * libvirt's native library ({@code libvirt.so.0}) cannot be loaded: on Debian and Ubuntu it comes
 * with the package {@code libvirt0}.
 */
public final class LibvirtUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The Debian package that provides {@code libvirt.so.0}. */
  public static final String PACKAGE = "libvirt0";

  /** Wraps the loader's error. */
  public LibvirtUnavailableException(Throwable cause) {
    super("libvirt's native library libvirt.so.0 cannot be loaded (" + cause.getMessage()
        + "); install the package " + PACKAGE + " (apt-get install " + PACKAGE + ")", cause);
  }
}
