package org.virthooks.libvirt.testing;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/** A read-only libvirt-java connection that hands out its native pointer, for internal listings. */
public final class NativeConnect extends Connect {
  /** Opens {@code uri} read-only. */
  public NativeConnect(String uri) throws LibvirtException {
    super(uri, true);
  }

  /** The {@code virConnectPtr} (libvirt-java keeps it in a protected field). */
  public ConnectionPointer pointer() {
    return vcp;
  }
}
