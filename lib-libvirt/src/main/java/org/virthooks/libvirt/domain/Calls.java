package org.virthooks.libvirt.domain;

import java.lang.reflect.Field;
import org.libvirt.Connect;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

/** libvirt's error of the calling thread as a {@link LibvirtDomainException}; the connection's pointer. */
final class Calls {
  private Calls() {}

  /** The thread's last libvirt error for {@code op}, which is reset. */
  static LibvirtDomainException lastError(String op) {
    virError e = Libvirt.INSTANCE.virGetLastError();
    LibvirtDomainException x = e == null
        ? new LibvirtDomainException(op, -1, -1, "libvirt reported no error")
        : new LibvirtDomainException(op, e.code, e.domain,
            e.message == null ? "no message" : e.message);
    Libvirt.INSTANCE.virResetLastError();
    return x;
  }

  /** {@code rc}, or the last error when it is negative. */
  static int check(int rc, String op) {
    if (rc < 0) {
      throw lastError(op);
    }
    return rc;
  }

  /** {@code v}, or the last error when it is null. */
  static <T> T notNull(T v, String op) {
    if (v == null) {
      throw lastError(op);
    }
    return v;
  }

  /** A libvirt "boolean" (1, 0, or -1 for an error). */
  static boolean bool(int rc, String op) {
    return check(rc, op) != 0;
  }

  /**
   * The native pointer of a libvirt-java connection: its protected field {@code vcp} (libvirt-java
   * 0.5.4 exposes no accessor; the field is read by reflection, once per wrap).
   */
  static ConnectionPointer pointer(Connect conn) {
    try {
      Field f = Connect.class.getDeclaredField("vcp");
      f.setAccessible(true);
      ConnectionPointer p = (ConnectionPointer) f.get(conn);
      if (p == null) {
        throw new IllegalStateException("the libvirt-java connection is closed");
      }
      return p;
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("cannot read libvirt-java's connection pointer "
          + "(Connect.vcp; libvirt-java 0.5.4 expected): " + e, e);
    }
  }
}
