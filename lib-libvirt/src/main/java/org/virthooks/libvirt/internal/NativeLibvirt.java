package org.virthooks.libvirt.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;
import org.libvirt.jna.CString;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.NetworkPointer;
import org.virthooks.libvirt.LibvirtUnavailableException;

/**
 * The libvirt functions that libvirt-java 0.5.4 does not bind (network events, domain state, the
 * domain API's flagged calls and typed-parameter tunables), bound here with JNA against the same
 * {@code libvirt.so.0}, strings in UTF-8. Strings libvirt allocates come back as libvirt-java's
 * {@link CString}, which frees them when read. Typed-parameter arrays are {@link Pointer}s to
 * 96-byte virTypedParameter elements (see {@link TypedParams}).
 */
public interface NativeLibvirt extends Library {
  /** Network event ID of lifecycle events. */
  int VIR_NETWORK_EVENT_ID_LIFECYCLE = 0;

  /** virConnectNetworkEventRegisterAny. */
  int virConnectNetworkEventRegisterAny(ConnectionPointer conn, NetworkPointer net, int eventID,
      Callback cb, Pointer opaque, Pointer freecb);

  /** virConnectNetworkEventDeregisterAny. */
  int virConnectNetworkEventDeregisterAny(ConnectionPointer conn, int callbackID);

  /** virConnectStoragePoolEventRegisterAny (pool null: every pool). */
  int virConnectStoragePoolEventRegisterAny(ConnectionPointer conn, Pointer pool, int eventID,
      Callback cb, Pointer opaque, Pointer freecb);

  /** virConnectStoragePoolEventDeregisterAny. */
  int virConnectStoragePoolEventDeregisterAny(ConnectionPointer conn, int callbackID);

  /** virConnectNodeDeviceEventRegisterAny (dev null: every device). */
  int virConnectNodeDeviceEventRegisterAny(ConnectionPointer conn, Pointer dev, int eventID,
      Callback cb, Pointer opaque, Pointer freecb);

  /** virConnectNodeDeviceEventDeregisterAny. */
  int virConnectNodeDeviceEventDeregisterAny(ConnectionPointer conn, int callbackID);

  /** virConnectSecretEventRegisterAny (secret null: every secret). */
  int virConnectSecretEventRegisterAny(ConnectionPointer conn, Pointer secret, int eventID,
      Callback cb, Pointer opaque, Pointer freecb);

  /** virConnectSecretEventDeregisterAny. */
  int virConnectSecretEventDeregisterAny(ConnectionPointer conn, int callbackID);

  /** virDomainGetState. */
  int virDomainGetState(DomainPointer dom, IntByReference state, IntByReference reason, int flags);

  /** virDomainGetHostname. */
  CString virDomainGetHostname(DomainPointer dom, int flags);

  /** virDomainGetControlInfo into a 16-byte virDomainControlInfo. */
  int virDomainGetControlInfo(DomainPointer dom, Pointer info, int flags);

  /** virDomainGetDiskErrors into 16-byte virDomainDiskError elements (null, 0: the count). */
  int virDomainGetDiskErrors(DomainPointer dom, Pointer errors, int maxerrors, int flags);

  /** virDomainGetVcpusFlags. */
  int virDomainGetVcpusFlags(DomainPointer dom, int flags);

  /** virDomainSetMemoryFlags (KiB). */
  int virDomainSetMemoryFlags(DomainPointer dom, NativeLong memory, int flags);

  /** virDomainShutdownFlags. */
  int virDomainShutdownFlags(DomainPointer dom, int flags);

  /** virDomainDestroyFlags. */
  int virDomainDestroyFlags(DomainPointer dom, int flags);

  /** virDomainDefineXMLFlags. */
  DomainPointer virDomainDefineXMLFlags(ConnectionPointer conn, String xml, int flags);

  /** virDomainGetSchedulerType: the type, and the number of scheduler parameters. */
  CString virDomainGetSchedulerType(DomainPointer dom, IntByReference nparams);

  /** virDomainGetSchedulerParameters (no flags: what virsh calls for the current state). */
  int virDomainGetSchedulerParameters(DomainPointer dom, Pointer params, IntByReference n);

  /** virDomainSetSchedulerParameters. */
  int virDomainSetSchedulerParameters(DomainPointer dom, Pointer params, int n);

  /** virDomainGetSchedulerParametersFlags. */
  int virDomainGetSchedulerParametersFlags(DomainPointer dom, Pointer params, IntByReference n,
      int flags);

  /** virDomainSetSchedulerParametersFlags. */
  int virDomainSetSchedulerParametersFlags(DomainPointer dom, Pointer params, int n, int flags);

  /** virDomainGetMemoryParameters. */
  int virDomainGetMemoryParameters(DomainPointer dom, Pointer params, IntByReference n, int flags);

  /** virDomainSetMemoryParameters. */
  int virDomainSetMemoryParameters(DomainPointer dom, Pointer params, int n, int flags);

  /** virDomainGetBlkioParameters. */
  int virDomainGetBlkioParameters(DomainPointer dom, Pointer params, IntByReference n, int flags);

  /** virDomainSetBlkioParameters. */
  int virDomainSetBlkioParameters(DomainPointer dom, Pointer params, int n, int flags);

  /** virDomainGetNumaParameters. */
  int virDomainGetNumaParameters(DomainPointer dom, Pointer params, IntByReference n, int flags);

  /** virDomainSetNumaParameters. */
  int virDomainSetNumaParameters(DomainPointer dom, Pointer params, int n, int flags);

  /** virDomainGetInterfaceParameters. */
  int virDomainGetInterfaceParameters(DomainPointer dom, String device, Pointer params,
      IntByReference n, int flags);

  /** virDomainSetInterfaceParameters. */
  int virDomainSetInterfaceParameters(DomainPointer dom, String device, Pointer params, int n,
      int flags);

  /** virDomainGetBlockIoTune. */
  int virDomainGetBlockIoTune(DomainPointer dom, String disk, Pointer params, IntByReference n,
      int flags);

  /** virDomainSetBlockIoTune. */
  int virDomainSetBlockIoTune(DomainPointer dom, String disk, Pointer params, int n, int flags);

  /** The state group of virConnectGetAllDomainStats: {@code state.state}, {@code state.reason}. */
  int VIR_DOMAIN_STATS_STATE = 1;

  /**
   * virConnectGetAllDomainStats: one round trip for every domain (flags 0: active and inactive);
   * {@code stats} receives a NULL-terminated array of virDomainStatsRecord pointers.
   */
  int virConnectGetAllDomainStats(ConnectionPointer conn, int stats, PointerByReference retStats,
      int flags);

  /** virDomainStatsRecordListFree: the records, their parameters and their domains. */
  void virDomainStatsRecordListFree(Pointer stats);

  /** virTypedParamsClear: frees the strings of an array the caller allocated. */
  void virTypedParamsClear(Pointer params, int n);

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
        instance = Native.load("virt", NativeLibvirt.class,
            Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
        return instance;
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        failure = new LibvirtUnavailableException(e);
        throw failure;
      }
    }
  }
}
