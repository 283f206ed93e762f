package org.virthooks.libvirt.internal;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.NetworkPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceType;
import org.virthooks.core.VirtEvent;
import org.virthooks.libvirt.DomainEventId;
import org.virthooks.libvirt.HostEventId;

/**
 * The native callbacks of a libvirt event feed, one per domain event ID and one per
 * {@link HostEventId} (networks, storage pools, node devices, secrets): each maps its arguments to an event and hands it on, on libvirt's event-loop thread,
 * only while its connection is current; nothing thrown escapes into the loop.
 */
public final class CallbackTable {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackTable.class);

  /** Where mapped events go: with the domain pointer, for enrichment off the loop thread. */
  public interface Output {
    /** A mapped event of domain {@code d} (valid during the call only). */
    void emit(VirtEvent e, DomainPointer d);

    /** A mapped event with no domain pointer. */
    void publish(VirtEvent e);
  }

  private final String uri;
  private final EventStamper stamper;
  private final Output out;

  /** A table mapping with {@code stamper} and handing events to {@code out}. */
  public CallbackTable(String uri, EventStamper stamper, Output out) {
    this.uri = uri;
    this.stamper = stamper;
    this.out = out;
  }

  /** The network lifecycle callback, while {@code current} says the connection is current. */
  public Callbacks.NetworkLifecycle network(BooleanSupplier current) {
    return (c, n, event, detail, opaque) -> guard(current, "NETWORK_LIFECYCLE",
        () -> out.publish(EventMapping.network(stamper, networkName(n), networkUuid(n), event,
            detail)));
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs a callback body unless its connection is stale; nothing escapes into the loop. */
  private void guard(BooleanSupplier current, String what, Body body) {
    if (!current.getAsBoolean()) {
      return;
    }
    try {
      body.run();
    } catch (Throwable t) {
      LOG.warn("{}: handling libvirt event {} failed", uri, what, t);
    }
  }

  /** Emits {@code e} of the domain the callback was handed, as the pointer type of libvirt-java. */
  private void emit(VirtEvent e, Pointer d) {
    DomainPointer dp = new DomainPointer();
    dp.setPointer(d);
    out.emit(e, dp);
  }

  private static DomainRef domainRef(Pointer p) {
    // local accessors of the virDomain object: no round trip to the daemon
    String name = DirectLibvirt.virDomainGetName(p);
    int id = DirectLibvirt.virDomainGetID(p);
    byte[] uuid = new byte[Libvirt.VIR_UUID_BUFLEN];
    boolean hasUuid = DirectLibvirt.virDomainGetUUID(p, uuid) == 0;
    return new DomainRef(name == null || name.isBlank() ? "?" : name,
        id >= 0 ? java.util.OptionalInt.of(id) : java.util.OptionalInt.empty(),
        hasUuid ? Optional.of(DomainRef.uuidFromBytes(uuid)) : Optional.empty());
  }

  private static String networkName(NetworkPointer n) {
    return NativeLibvirt.get().virNetworkGetName(n);
  }

  private static String networkUuid(NetworkPointer n) {
    byte[] uuid = new byte[Libvirt.VIR_UUID_BUFLEN];
    return NativeLibvirt.get().virNetworkGetUUID(n, uuid) == 0
        ? DomainRef.uuidFromBytes(uuid).toString() : null;
  }

  /** A domain callback for {@code id}: maps its arguments and emits, while {@code l} says the connection is current. */
  public Libvirt.VirDomainEventCallback domain(DomainEventId id, BooleanSupplier l) {
    String raw = id.name();
    return switch (id) {
      case LIFECYCLE -> (Callbacks.Lifecycle) (c, d, event, detail, o) -> {
        guard(l, raw, () -> emit(EventMapping.lifecycle(stamper, domainRef(d), event, detail), d));
        return 0;
      };
      case REBOOT -> (Callbacks.Generic) (c, d, o) -> guard(l, raw, () -> emit(EventMapping.domain(
          stamper, domainRef(d), raw, DomainEvent.Kind.REBOOTED, null, Map.of()), d));
      case CONTROL_ERROR -> (Callbacks.Generic) (c, d, o) -> guard(l, raw, () -> emit(
          EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.CONTROL_ERROR, null,
              Map.of()), d));
      case RTC_CHANGE -> (Callbacks.OneLong) (c, d, v, o) -> guard(l, raw, () -> emit(
          EventMapping.rtcChange(stamper, domainRef(d), v), d));
      case WATCHDOG -> (Callbacks.OneInt) (c, d, v, o) -> guard(l, raw, () -> emit(
          EventMapping.watchdog(stamper, domainRef(d), v), d));
      case IO_ERROR -> (Callbacks.IoError) (c, d, src, alias, action, o) -> guard(l, raw,
          () -> emit(EventMapping.ioError(stamper, domainRef(d), raw, src, alias, action, null), d));
      case IO_ERROR_REASON -> (Callbacks.IoErrorReason) (c, d, src, alias, action, reason, o) ->
          guard(l, raw, () -> emit(EventMapping.ioError(stamper, domainRef(d), raw, src, alias,
              action, reason), d));
      case GRAPHICS -> (Callbacks.Graphics) (c, d, phase, local, remote, auth, subject, o) ->
          guard(l, raw, () -> emit(EventMapping.graphics(stamper, domainRef(d), phase,
              graphicsAddress(local), graphicsAddress(remote), auth, graphicsSubject(subject)), d));
      case BLOCK_JOB, BLOCK_JOB_2 -> (Callbacks.BlockJob) (c, d, disk, type, status, o) ->
          guard(l, raw, () -> emit(EventMapping.blockJob(stamper, domainRef(d), raw, disk, type,
              status), d));
      case DISK_CHANGE -> (Callbacks.DiskChange) (c, d, oldSrc, newSrc, alias, reason, o) ->
          guard(l, raw, () -> emit(EventMapping.diskChange(stamper, domainRef(d), oldSrc,
              newSrc, alias, reason), d));
      case TRAY_CHANGE -> (Callbacks.StringInt) (c, d, alias, reason, o) -> guard(l, raw,
          () -> emit(EventMapping.trayChange(stamper, domainRef(d), alias, reason), d));
      case PMWAKEUP -> (Callbacks.OneInt) (c, d, reason, o) -> guard(l, raw, () -> emit(
          EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.PMWAKEUP, null,
              Map.of("reason", Integer.toString(reason))), d));
      case PMSUSPEND, PMSUSPEND_DISK -> (Callbacks.OneInt) (c, d, reason, o) -> guard(l, raw,
          () -> emit(EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.PMSUSPENDED,
              id == DomainEventId.PMSUSPEND ? "MEMORY" : "DISK",
              Map.of("reason", Integer.toString(reason))), d));
      case BALLOON_CHANGE -> (Callbacks.OneLong) (c, d, actual, o) -> guard(l, raw, () -> emit(
          EventMapping.resource(stamper, domainRef(d), raw, Operation.SET, ResourceType.MEMORY,
              null, Map.of("actualKib", Long.toUnsignedString(actual))), d));
      case DEVICE_ADDED, DEVICE_REMOVED, DEVICE_REMOVAL_FAILED -> (Callbacks.OneString)
          (c, d, alias, o) -> guard(l, raw, () -> {
            Operation op = id == DomainEventId.DEVICE_ADDED ? Operation.ADD
                : id == DomainEventId.DEVICE_REMOVED ? Operation.REMOVE : Operation.REMOVE_FAILED;
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "devAlias", alias);
            emit(EventMapping.resource(stamper, domainRef(d), raw, op, ResourceType.DEVICE, alias,
                a), d);
          });
      case TUNABLE -> (Callbacks.TypedParams) (c, d, params, n, o) -> guard(l, raw, () -> emit(
          EventMapping.resource(stamper, domainRef(d), raw, Operation.SET, ResourceType.TUNABLE,
              null, TypedParams.read(params, n)), d));
      case AGENT_LIFECYCLE -> (Callbacks.TwoInts) (c, d, state, reason, o) -> guard(l, raw,
          () -> emit(EventMapping.agentLifecycle(stamper, domainRef(d), state, reason), d));
      case MIGRATION_ITERATION -> (Callbacks.OneInt) (c, d, it, o) -> guard(l, raw, () -> emit(
          EventMapping.migrationIteration(stamper, domainRef(d), it), d));
      case JOB_COMPLETED -> (Callbacks.TypedParams) (c, d, params, n, o) -> guard(l, raw,
          () -> emit(EventMapping.jobCompleted(stamper, domainRef(d), TypedParams.read(params, n)),
              d));
      case METADATA_CHANGE -> (Callbacks.IntString) (c, d, type, ns, o) -> guard(l, raw,
          () -> emit(EventMapping.metadataChange(stamper, domainRef(d), type, ns), d));
      case BLOCK_THRESHOLD -> (Callbacks.BlockThreshold) (c, d, dev, path, threshold, excess, o) ->
          guard(l, raw, () -> emit(EventMapping.blockThreshold(stamper, domainRef(d), dev, path,
              threshold, excess), d));
      case MEMORY_FAILURE -> (Callbacks.ThreeInts) (c, d, recipient, action, flags, o) ->
          guard(l, raw, () -> emit(EventMapping.memoryFailure(stamper, domainRef(d), recipient,
              action, flags), d));
      case MEMORY_DEVICE_SIZE_CHANGE -> (Callbacks.StringLong) (c, d, alias, size, o) ->
          guard(l, raw, () -> {
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "devAlias", alias);
            a.put("sizeKib", Long.toUnsignedString(size));
            emit(EventMapping.resource(stamper, domainRef(d), raw, Operation.SET,
                ResourceType.MEMORY, alias, a), d);
          });
      case NIC_MAC_CHANGE -> (Callbacks.ThreeStrings) (c, d, alias, oldMac, newMac, o) ->
          guard(l, raw, () -> emit(EventMapping.nicMacChange(stamper, domainRef(d), alias,
              oldMac, newMac), d));
    };
  }

  /**
   * A {@code virDomainEventGraphicsAddress}: {@code int family; char *node; char *service}, the
   * pointers aligned to their size after the int.
   */
  static DomainPayload.Graphics.Address graphicsAddress(Pointer p) {
    if (p == null) {
      return null;
    }
    int ptr = Native.POINTER_SIZE;
    return EventMapping.graphicsAddress(p.getInt(0), string(p.getPointer(ptr)),
        string(p.getPointer(2L * ptr)));
  }

  /**
   * A {@code virDomainEventGraphicsSubject}: {@code int nidentity;
   * virDomainEventGraphicsSubjectIdentity *identities}, each identity {@code char *type;
   * char *name}.
   */
  static List<DomainPayload.Graphics.Identity> graphicsSubject(Pointer p) {
    if (p == null) {
      return List.of();
    }
    int ptr = Native.POINTER_SIZE;
    int n = p.getInt(0);
    Pointer ids = p.getPointer(ptr);
    List<DomainPayload.Graphics.Identity> out = new ArrayList<>(Math.max(0, n));
    for (int i = 0; i < n && ids != null; i++) {
      long at = 2L * ptr * i;
      String type = string(ids.getPointer(at));
      String name = string(ids.getPointer(at + ptr));
      out.add(new DomainPayload.Graphics.Identity(type == null ? "" : type,
          name == null ? "" : name));
    }
    return out;
  }

  private static String string(Pointer p) {
    return p == null ? null : p.getString(0, "UTF-8");
  }

  // ------------------------------------------------------------------ other object families

  /** The callback of a host event ID: maps its arguments and publishes, while {@code l} says the connection is current. */
  public Callback host(HostEventId id, BooleanSupplier l) {
    String raw = id.name();
    return switch (id) {
      case NETWORK_LIFECYCLE -> network(l);
      case NETWORK_METADATA_CHANGE -> (Callbacks.NetworkMetadataChange) (c, n, type, ns, o) ->
          guard(l, raw, () -> out.publish(EventMapping.networkMetadataChange(stamper,
              networkName(n), networkUuid(n), type, ns)));
      case STORAGE_POOL_LIFECYCLE -> (Callbacks.ObjectLifecycle) (c, p, event, detail, o) ->
          guard(l, raw, () -> out.publish(EventMapping.poolLifecycle(stamper,
              DirectLibvirt.virStoragePoolGetName(p), poolUuid(p), event, detail)));
      case STORAGE_POOL_REFRESH -> (Callbacks.ObjectGeneric) (c, p, o) -> guard(l, raw,
          () -> out.publish(EventMapping.poolRefresh(stamper,
              DirectLibvirt.virStoragePoolGetName(p), poolUuid(p))));
      case NODE_DEVICE_LIFECYCLE -> (Callbacks.ObjectLifecycle) (c, p, event, detail, o) ->
          guard(l, raw, () -> out.publish(EventMapping.nodeDeviceLifecycle(stamper,
              DirectLibvirt.virNodeDeviceGetName(p), event, detail)));
      case NODE_DEVICE_UPDATE -> (Callbacks.ObjectGeneric) (c, p, o) -> guard(l, raw,
          () -> out.publish(EventMapping.nodeDeviceUpdate(stamper,
              DirectLibvirt.virNodeDeviceGetName(p))));
      case SECRET_LIFECYCLE -> (Callbacks.ObjectLifecycle) (c, p, event, detail, o) ->
          guard(l, raw, () -> out.publish(EventMapping.secretLifecycle(stamper, secretUuid(p),
              DirectLibvirt.virSecretGetUsageType(p), DirectLibvirt.virSecretGetUsageID(p), event,
              detail)));
      case SECRET_VALUE_CHANGED -> (Callbacks.ObjectGeneric) (c, p, o) -> guard(l, raw,
          () -> out.publish(EventMapping.secretValueChanged(stamper, secretUuid(p),
              DirectLibvirt.virSecretGetUsageType(p), DirectLibvirt.virSecretGetUsageID(p))));
    };
  }

  private static String poolUuid(Pointer p) {
    byte[] uuid = new byte[Libvirt.VIR_UUID_BUFLEN];
    return DirectLibvirt.virStoragePoolGetUUID(p, uuid) == 0
        ? DomainRef.uuidFromBytes(uuid).toString() : null;
  }

  private static String secretUuid(Pointer p) {
    byte[] uuid = new byte[Libvirt.VIR_UUID_BUFLEN];
    return DirectLibvirt.virSecretGetUUID(p, uuid) == 0
        ? DomainRef.uuidFromBytes(uuid).toString() : null;
  }

  /**
   * Registers {@code cb} for {@code id} on every object of its family: the callback ID, or -1 with
   * libvirt's error set (a daemon that does not know the ID refuses it).
   */
  public static int register(ConnectionPointer cp, HostEventId id, Callback cb) {
    NativeLibvirt n = NativeLibvirt.get();
    return switch (id.family()) {
      case NETWORK -> n.virConnectNetworkEventRegisterAny(cp, null, id.code(), cb, null, null);
      case STORAGE_POOL -> n.virConnectStoragePoolEventRegisterAny(cp, null, id.code(), cb, null,
          null);
      case NODE_DEVICE -> n.virConnectNodeDeviceEventRegisterAny(cp, null, id.code(), cb, null,
          null);
      case SECRET -> n.virConnectSecretEventRegisterAny(cp, null, id.code(), cb, null, null);
    };
  }

  /** Deregisters a callback {@link #register} returned; negative with libvirt's error set. */
  public static int deregister(ConnectionPointer cp, HostEventId id, int handle) {
    NativeLibvirt n = NativeLibvirt.get();
    return switch (id.family()) {
      case NETWORK -> n.virConnectNetworkEventDeregisterAny(cp, handle);
      case STORAGE_POOL -> n.virConnectStoragePoolEventDeregisterAny(cp, handle);
      case NODE_DEVICE -> n.virConnectNodeDeviceEventDeregisterAny(cp, handle);
      case SECRET -> n.virConnectSecretEventDeregisterAny(cp, handle);
    };
  }

}
