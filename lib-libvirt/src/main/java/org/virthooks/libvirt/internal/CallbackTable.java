package org.virthooks.libvirt.internal;

import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.NetworkPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceType;
import org.virthooks.core.VirtEvent;
import org.virthooks.libvirt.DomainEventId;

/**
 * The native callbacks of a libvirt event feed, one per domain event ID and one for network
 * lifecycle: each maps its arguments to an event and hands it on, on libvirt's event-loop thread,
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

  private static DomainRef domainRef(DomainPointer d) {
    // local accessors of the virDomain object: no round trip to the daemon
    Pointer p = d.getPointer();
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
        guard(l, raw, () -> out.emit(EventMapping.lifecycle(stamper, domainRef(d), event, detail), d));
        return 0;
      };
      case REBOOT -> (Callbacks.Generic) (c, d, o) -> guard(l, raw, () -> out.emit(EventMapping.domain(
          stamper, domainRef(d), raw, DomainEvent.Kind.REBOOTED, null, Map.of()), d));
      case CONTROL_ERROR -> (Callbacks.Generic) (c, d, o) -> guard(l, raw, () -> out.emit(
          EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.CONTROL_ERROR, null,
              Map.of()), d));
      case RTC_CHANGE -> (Callbacks.OneLong) (c, d, v, o) -> guard(l, raw, () -> other(d, raw,
          Map.of("utcOffset", Long.toString(v))));
      case WATCHDOG -> (Callbacks.OneInt) (c, d, v, o) -> guard(l, raw, () -> out.emit(
          EventMapping.watchdog(stamper, domainRef(d), v), d));
      case IO_ERROR -> (Callbacks.IoError) (c, d, src, alias, action, o) -> guard(l, raw,
          () -> out.emit(EventMapping.ioError(stamper, domainRef(d), raw, src, alias, action, null), d));
      case IO_ERROR_REASON -> (Callbacks.IoErrorReason) (c, d, src, alias, action, reason, o) ->
          guard(l, raw, () -> out.emit(EventMapping.ioError(stamper, domainRef(d), raw, src, alias,
              action, reason), d));
      case GRAPHICS -> (Callbacks.Graphics) (c, d, phase, local, remote, auth, subject, o) ->
          guard(l, raw, () -> {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("phase", Integer.toString(phase));
            EventMapping.putIf(a, "authScheme", auth);
            other(d, raw, a);
          });
      case BLOCK_JOB, BLOCK_JOB_2 -> (Callbacks.BlockJob) (c, d, disk, type, status, o) ->
          guard(l, raw, () -> out.emit(EventMapping.blockJob(stamper, domainRef(d), raw, disk, type,
              status), d));
      case DISK_CHANGE -> (Callbacks.DiskChange) (c, d, oldSrc, newSrc, alias, reason, o) ->
          guard(l, raw, () -> {
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "oldSrcPath", oldSrc);
            EventMapping.putIf(a, "newSrcPath", newSrc);
            EventMapping.putIf(a, "devAlias", alias);
            a.put("reason", Integer.toString(reason));
            other(d, raw, a);
          });
      case TRAY_CHANGE -> (Callbacks.StringInt) (c, d, alias, reason, o) -> guard(l, raw, () -> {
        Map<String, String> a = new LinkedHashMap<>();
        EventMapping.putIf(a, "devAlias", alias);
        a.put("reason", Integer.toString(reason));
        other(d, raw, a);
      });
      case PMWAKEUP -> (Callbacks.OneInt) (c, d, reason, o) -> guard(l, raw, () -> out.emit(
          EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.PMWAKEUP, null,
              Map.of("reason", Integer.toString(reason))), d));
      case PMSUSPEND, PMSUSPEND_DISK -> (Callbacks.OneInt) (c, d, reason, o) -> guard(l, raw,
          () -> out.emit(EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.PMSUSPENDED,
              id == DomainEventId.PMSUSPEND ? "MEMORY" : "DISK",
              Map.of("reason", Integer.toString(reason))), d));
      case BALLOON_CHANGE -> (Callbacks.OneLong) (c, d, actual, o) -> guard(l, raw, () -> out.emit(
          EventMapping.resource(stamper, domainRef(d), raw, Operation.SET, ResourceType.MEMORY,
              null, Map.of("actualKib", Long.toUnsignedString(actual))), d));
      case DEVICE_ADDED, DEVICE_REMOVED, DEVICE_REMOVAL_FAILED -> (Callbacks.OneString)
          (c, d, alias, o) -> guard(l, raw, () -> {
            Operation op = id == DomainEventId.DEVICE_ADDED ? Operation.ADD
                : id == DomainEventId.DEVICE_REMOVED ? Operation.REMOVE : Operation.REMOVE_FAILED;
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "devAlias", alias);
            out.emit(EventMapping.resource(stamper, domainRef(d), raw, op, ResourceType.DEVICE, alias,
                a), d);
          });
      case TUNABLE -> (Callbacks.TypedParams) (c, d, params, n, o) -> guard(l, raw, () -> out.emit(
          EventMapping.resource(stamper, domainRef(d), raw, Operation.SET, ResourceType.TUNABLE,
              null, TypedParams.read(params, n)), d));
      case AGENT_LIFECYCLE -> (Callbacks.TwoInts) (c, d, state, reason, o) -> guard(l, raw,
          () -> other(d, raw, Map.of("state", Integer.toString(state), "reason",
              Integer.toString(reason))));
      case MIGRATION_ITERATION -> (Callbacks.OneInt) (c, d, it, o) -> guard(l, raw, () -> out.emit(
          EventMapping.migrationIteration(stamper, domainRef(d), it), d));
      case JOB_COMPLETED -> (Callbacks.TypedParams) (c, d, params, n, o) -> guard(l, raw,
          () -> out.emit(EventMapping.jobCompleted(stamper, domainRef(d), TypedParams.read(params, n)),
              d));
      case METADATA_CHANGE -> (Callbacks.IntString) (c, d, type, ns, o) -> guard(l, raw, () -> {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("type", Integer.toString(type));
        EventMapping.putIf(a, "nsuri", ns);
        other(d, raw, a);
      });
      case BLOCK_THRESHOLD -> (Callbacks.BlockThreshold) (c, d, dev, path, threshold, excess, o) ->
          guard(l, raw, () -> {
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "dev", dev);
            EventMapping.putIf(a, "path", path);
            a.put("threshold", Long.toUnsignedString(threshold));
            a.put("excess", Long.toUnsignedString(excess));
            other(d, raw, a);
          });
      case MEMORY_FAILURE -> (Callbacks.ThreeInts) (c, d, recipient, action, flags, o) ->
          guard(l, raw, () -> other(d, raw, Map.of("recipient", Integer.toString(recipient),
              "action", Integer.toString(action), "flags", Integer.toUnsignedString(flags))));
      case MEMORY_DEVICE_SIZE_CHANGE -> (Callbacks.StringLong) (c, d, alias, size, o) ->
          guard(l, raw, () -> {
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "devAlias", alias);
            a.put("sizeKib", Long.toUnsignedString(size));
            out.emit(EventMapping.resource(stamper, domainRef(d), raw, Operation.SET,
                ResourceType.MEMORY, alias, a), d);
          });
      case NIC_MAC_CHANGE -> (Callbacks.ThreeStrings) (c, d, alias, oldMac, newMac, o) ->
          guard(l, raw, () -> {
            Map<String, String> a = new LinkedHashMap<>();
            EventMapping.putIf(a, "devAlias", alias);
            EventMapping.putIf(a, "oldMAC", oldMac);
            EventMapping.putIf(a, "newMAC", newMac);
            other(d, raw, a);
          });
    };
  }

  private void other(DomainPointer d, String raw, Map<String, String> attrs) {
    out.emit(EventMapping.domain(stamper, domainRef(d), raw, DomainEvent.Kind.OTHER, null,
        attrs), d);
  }

}
