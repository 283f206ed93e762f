package org.virthooks.libvirt.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.NetworkPointer;
import org.virthooks.libvirt.LibvirtUnavailableException;

/**
 * The few libvirt functions that libvirt-java 0.5.4 does not bind (network events, domain state),
 * bound here with JNA against the same {@code libvirt.so.0}.
 */
public interface NativeLibvirt extends Library {
  /** Network event ID of lifecycle events. */
  int VIR_NETWORK_EVENT_ID_LIFECYCLE = 0;

  /** virConnectNetworkEventRegisterAny. */
  int virConnectNetworkEventRegisterAny(ConnectionPointer conn, NetworkPointer net, int eventID,
      Callback cb, Pointer opaque, Pointer freecb);

  /** virConnectNetworkEventDeregisterAny. */
  int virConnectNetworkEventDeregisterAny(ConnectionPointer conn, int callbackID);

  /** virDomainGetState. */
  int virDomainGetState(DomainPointer dom, IntByReference state, IntByReference reason, int flags);

  /** virNetworkGetName: a local accessor, no round trip. */
  String virNetworkGetName(NetworkPointer net);

  /** virNetworkGetUUID: a local accessor, no round trip. */
  int virNetworkGetUUID(NetworkPointer net, byte[] uuid);

  /** The binding, loaded once; throws {@link LibvirtUnavailableException} naming the package. */
  static NativeLibvirt get() {
    return Holder.load();
  }

  /** Lazily loads the library once and remembers a failure. */
  final class Holder {
    private static volatile NativeLibvirt instance;
    private static volatile LibvirtUnavailableException failure;

    private Holder() {}

    static synchronized NativeLibvirt load() {
      if (instance != null) {
        return instance;
      }
      if (failure != null) {
        throw failure;
      }
      try {
        instance = Native.load("virt", NativeLibvirt.class);
        return instance;
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        failure = new LibvirtUnavailableException(e);
        throw failure;
      }
    }
  }
}
