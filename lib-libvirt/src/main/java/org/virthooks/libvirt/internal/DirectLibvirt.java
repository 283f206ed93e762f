package org.virthooks.libvirt.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The local accessors every event callback calls, bound with JNA's direct mapping: several times
 * cheaper per call than the interface mapping of libvirt-java's {@code Libvirt.INSTANCE}, which
 * matters on the event-loop thread (three calls per event). None of them is a round trip to the
 * daemon: each reads the object libvirt handed the callback.
 */
public final class DirectLibvirt {
  static {
    Native.register("virt");
  }

  private DirectLibvirt() {}

  /** virDomainGetName. */
  public static native String virDomainGetName(Pointer dom);

  /** virDomainGetID: (unsigned) -1 for an inactive domain. */
  public static native int virDomainGetID(Pointer dom);

  /** virDomainGetUUID into 16 bytes. */
  public static native int virDomainGetUUID(Pointer dom, byte[] uuid);

  /** virStoragePoolGetName. */
  public static native String virStoragePoolGetName(Pointer pool);

  /** virStoragePoolGetUUID into 16 bytes. */
  public static native int virStoragePoolGetUUID(Pointer pool, byte[] uuid);

  /** virNodeDeviceGetName. */
  public static native String virNodeDeviceGetName(Pointer dev);

  /** virSecretGetUUID into 16 bytes. */
  public static native int virSecretGetUUID(Pointer secret, byte[] uuid);

  /** virSecretGetUsageType: a virSecretUsageType, -1 on error. */
  public static native int virSecretGetUsageType(Pointer secret);

  /** virSecretGetUsageID. */
  public static native String virSecretGetUsageID(Pointer secret);
}
