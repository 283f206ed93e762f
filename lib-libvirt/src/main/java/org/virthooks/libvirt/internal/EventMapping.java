package org.virthooks.libvirt.internal;

import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.VirtEvent;

/**
 * Turns libvirt's raw event arguments into lib-core events. Pure functions: no libvirt call, so
 * they run on the event-loop thread and are tested without a daemon. Raw numbers are always kept
 * in the attributes ({@code event}, {@code detail}, ...), because names for codes a newer libvirt
 * adds are unknown here.
 */
public final class EventMapping {
  private EventMapping() {}

  /** Lifecycle event types, by code (virDomainEventType). */
  static final List<String> LIFECYCLE = List.of("DEFINED", "UNDEFINED", "STARTED", "SUSPENDED",
      "RESUMED", "STOPPED", "SHUTDOWN", "PMSUSPENDED", "CRASHED");

  private static final List<DomainEvent.Kind> LIFECYCLE_KINDS = List.of(DomainEvent.Kind.DEFINED,
      DomainEvent.Kind.UNDEFINED, DomainEvent.Kind.STARTED, DomainEvent.Kind.SUSPENDED,
      DomainEvent.Kind.RESUMED, DomainEvent.Kind.STOPPED, DomainEvent.Kind.SHUTDOWN,
      DomainEvent.Kind.PMSUSPENDED, DomainEvent.Kind.CRASHED);

  /** Detail names per lifecycle type, by code (virDomainEvent*DetailType). */
  static final List<List<String>> DETAILS = List.of(
      List.of("ADDED", "UPDATED", "RENAMED", "FROM_SNAPSHOT"),
      List.of("REMOVED", "RENAMED"),
      List.of("BOOTED", "MIGRATED", "RESTORED", "FROM_SNAPSHOT", "WAKEUP", "RECREATED"),
      List.of("PAUSED", "MIGRATED", "IOERROR", "WATCHDOG", "RESTORED", "FROM_SNAPSHOT",
          "API_ERROR", "POSTCOPY", "POSTCOPY_FAILED", "GUEST_SHUTDOWN"),
      List.of("UNPAUSED", "MIGRATED", "FROM_SNAPSHOT", "POSTCOPY", "POSTCOPY_FAILED"),
      List.of("SHUTDOWN", "DESTROYED", "CRASHED", "MIGRATED", "SAVED", "FAILED", "FROM_SNAPSHOT",
          "RECREATED"),
      List.of("FINISHED", "GUEST", "HOST"),
      List.of("MEMORY", "DISK"),
      List.of("PANICKED", "CRASHLOADED"));

  private static final List<String> WATCHDOG = List.of("NONE", "PAUSE", "RESET", "POWEROFF",
      "SHUTDOWN", "DEBUG", "INJECTNMI");
  private static final List<String> IO_ERROR = List.of("NONE", "PAUSE", "REPORT");
  private static final List<String> BLOCK_JOB_TYPE = List.of("UNKNOWN", "PULL", "COPY", "COMMIT",
      "ACTIVE_COMMIT", "BACKUP");
  private static final List<String> BLOCK_JOB_STATUS = List.of("COMPLETED", "FAILED", "CANCELED",
      "READY");
  static final List<String> NETWORK = List.of("DEFINED", "UNDEFINED", "STARTED", "STOPPED");

  /** {@code names[code]}, or the number itself when this version has no name for it. */
  public static String name(List<String> names, int code) {
    return code >= 0 && code < names.size() ? names.get(code) : Integer.toString(code);
  }

  /** The lifecycle type's name. */
  public static String lifecycleName(int event) {
    return name(LIFECYCLE, event);
  }

  /** The lifecycle detail's name for its type. */
  public static String detailName(int event, int detail) {
    return event >= 0 && event < DETAILS.size() ? name(DETAILS.get(event), detail)
        : Integer.toString(detail);
  }

  /**
   * The action and attributes of every lifecycle (type, detail) pair this version names, made
   * once: a lifecycle event is the one that comes in storms, and building the action string and
   * the attribute map per event was a fifth of the event loop thread's time. The attribute maps
   * are immutable, so {@code EventMeta} keeps them without copying.
   */
  private static final Named[][] LIFECYCLE_NAMED = new Named[DETAILS.size()][];

  static {
    for (int event = 0; event < DETAILS.size(); event++) {
      LIFECYCLE_NAMED[event] = new Named[DETAILS.get(event).size()];
      for (int detail = 0; detail < LIFECYCLE_NAMED[event].length; detail++) {
        LIFECYCLE_NAMED[event][detail] = new Named(lifecycleAction(event, detail),
            lifecycleAttributes(event, detail), detailName(event, detail));
      }
    }
  }

  /** A lifecycle (type, detail) pair's action, attributes and detail name. */
  private record Named(String action, Map<String, String> attributes, String detail) {}

  private static String lifecycleAction(int event, int detail) {
    return "LIFECYCLE/" + lifecycleName(event) + "/" + detailName(event, detail);
  }

  private static Map<String, String> lifecycleAttributes(int event, int detail) {
    return ImmutableMap.of("event", Integer.toString(event), "detail", Integer.toString(detail));
  }

  /** LIFECYCLE: action {@code LIFECYCLE/STOPPED/DESTROYED}, detail {@code DESTROYED}. */
  public static DomainEvent lifecycle(EventStamper s, DomainRef d, int event, int detail) {
    DomainEvent.Kind kind = event >= 0 && event < LIFECYCLE_KINDS.size()
        ? LIFECYCLE_KINDS.get(event) : DomainEvent.Kind.OTHER;
    if (event >= 0 && event < LIFECYCLE_NAMED.length && detail >= 0
        && detail < LIFECYCLE_NAMED[event].length) {
      Named n = LIFECYCLE_NAMED[event][detail];
      return DomainEvent.of(s.next(n.action(), n.attributes()), d, kind, n.detail());
    }
    // a code a newer libvirt added: its number stands for its name
    return DomainEvent.of(s.next(lifecycleAction(event, detail),
        lifecycleAttributes(event, detail)), d, kind, detailName(event, detail));
  }

  /** A domain event of another ID with {@code kind}, {@code detail} and attributes. */
  public static DomainEvent domain(EventStamper s, DomainRef d, String rawId, DomainEvent.Kind kind,
      String detail, Map<String, String> attrs) {
    String action = detail == null ? rawId : rawId + "/" + detail;
    return DomainEvent.of(s.next(action, attrs), d, kind, detail);
  }

  /** WATCHDOG with its action. */
  public static DomainEvent watchdog(EventStamper s, DomainRef d, int action) {
    return domain(s, d, "WATCHDOG", DomainEvent.Kind.WATCHDOG, name(WATCHDOG, action),
        Map.of("action", Integer.toString(action)));
  }

  /** IO_ERROR and IO_ERROR_REASON. */
  public static DomainEvent ioError(EventStamper s, DomainRef d, String rawId, String srcPath,
      String alias, int action, String reason) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "srcPath", srcPath);
    putIf(a, "devAlias", alias);
    a.put("action", Integer.toString(action));
    a.put("actionName", name(IO_ERROR, action));
    putIf(a, "reason", reason);
    return domain(s, d, rawId, DomainEvent.Kind.IO_ERROR,
        reason != null && !reason.isEmpty() ? reason : name(IO_ERROR, action), a);
  }

  /** A resource event of a domain. */
  public static ResourceEvent resource(EventStamper s, DomainRef d, String rawId, Operation op,
      ResourceType type, String name, Map<String, String> attrs) {
    return new ResourceEvent(s.next(rawId, attrs), Optional.ofNullable(d), op, type,
        Optional.ofNullable(name), Optional.empty());
  }

  /** BLOCK_JOB and BLOCK_JOB_2: status completed → done, failed / canceled → failed, ready → 100 %. */
  public static ProgressEvent blockJob(EventStamper s, DomainRef d, String rawId, String disk,
      int type, int status) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "disk", disk);
    a.put("type", name(BLOCK_JOB_TYPE, type));
    a.put("status", name(BLOCK_JOB_STATUS, status));
    a.put("rawType", Integer.toString(type));
    a.put("rawStatus", Integer.toString(status));
    ProgressEvent.Status st = switch (status) {
      case 0 -> ProgressEvent.Status.DONE;
      case 1, 2 -> ProgressEvent.Status.FAILED;
      default -> ProgressEvent.Status.ONGOING;
    };
    OptionalInt pct = status == 0 || status == 3 ? OptionalInt.of(100) : OptionalInt.empty();
    return new ProgressEvent(s.next(rawId + "/" + name(BLOCK_JOB_STATUS, status), a),
        Optional.ofNullable(d), ProgressEvent.Kind.BLOCK_JOB, pct, st, Optional.empty());
  }

  /** MIGRATION_ITERATION: ongoing, the iteration in the attributes. */
  public static ProgressEvent migrationIteration(EventStamper s, DomainRef d, int iteration) {
    return new ProgressEvent(s.next("MIGRATION_ITERATION", Map.of("iteration",
        Integer.toString(iteration))), Optional.ofNullable(d), ProgressEvent.Kind.MIGRATION,
        OptionalInt.empty(), ProgressEvent.Status.ONGOING, Optional.empty());
  }

  /**
   * JOB_COMPLETED: done at 100 %, the statistics in the attributes; failed (no percentage) when
   * libvirt says {@code success=false}. A backup job that failed or was aborted still emits
   * JOB_COMPLETED, with {@code success=false} and {@code errmsg} (libvirt's
   * qemuDomainBackupJobDataToParams); a migration's statistics have no {@code success}.
   */
  public static ProgressEvent jobCompleted(EventStamper s, DomainRef d, Map<String, String> stats) {
    boolean failed = "false".equals(stats.get("success"));
    return new ProgressEvent(s.next("JOB_COMPLETED", stats), Optional.ofNullable(d),
        ProgressEvent.Kind.JOB, failed ? OptionalInt.empty() : OptionalInt.of(100),
        failed ? ProgressEvent.Status.FAILED : ProgressEvent.Status.DONE, Optional.empty());
  }

  /** Network LIFECYCLE: defined → add, undefined → remove, started → start, stopped → stop. */
  public static VirtEvent network(EventStamper s, String name, String uuid, int event, int detail) {
    Operation op = switch (event) {
      case 0 -> Operation.ADD;
      case 1 -> Operation.REMOVE;
      case 2 -> Operation.START;
      case 3 -> Operation.STOP;
      default -> Operation.OTHER;
    };
    Map<String, String> a = new LinkedHashMap<>();
    a.put("event", Integer.toString(event));
    a.put("detail", Integer.toString(detail));
    putIf(a, "uuid", uuid);
    return new ResourceEvent(s.next("NETWORK_LIFECYCLE/" + name(NETWORK, event), a),
        Optional.empty(), op, ResourceType.NETWORK, Optional.ofNullable(name), Optional.empty());
  }

  // ------------------------------------------------------------------ typed payloads
  // Each table is in libvirt's code order (libvirt-domain.h); a code past its end is OTHER.

  /** virConnectDomainEventAgentLifecycleState: 1 connected, 2 disconnected (0 is unused). */
  static final List<DomainPayload.AgentState> AGENT_STATE = java.util.Arrays.asList(null,
      DomainPayload.AgentState.CONNECTED, DomainPayload.AgentState.DISCONNECTED);
  /** virConnectDomainEventAgentLifecycleReason. */
  static final List<DomainPayload.AgentReason> AGENT_REASON = List.of(
      DomainPayload.AgentReason.UNKNOWN, DomainPayload.AgentReason.DOMAIN_STARTED,
      DomainPayload.AgentReason.CHANNEL);
  /** virConnectDomainEventDiskChangeReason. */
  static final List<DomainPayload.DiskChangeReason> DISK_CHANGE_REASON = List.of(
      DomainPayload.DiskChangeReason.MISSING_ON_START,
      DomainPayload.DiskChangeReason.DROP_MISSING_ON_START);
  /** virDomainEventTrayChangeReason. */
  static final List<DomainPayload.TrayReason> TRAY_REASON = List.of(
      DomainPayload.TrayReason.OPEN, DomainPayload.TrayReason.CLOSE);
  /** virDomainEventGraphicsPhase. */
  static final List<DomainPayload.GraphicsPhase> GRAPHICS_PHASE = List.of(
      DomainPayload.GraphicsPhase.CONNECT, DomainPayload.GraphicsPhase.INITIALIZE,
      DomainPayload.GraphicsPhase.DISCONNECT);
  /** virDomainEventGraphicsAddressType. */
  static final List<DomainPayload.AddressFamily> GRAPHICS_FAMILY = List.of(
      DomainPayload.AddressFamily.IPV4, DomainPayload.AddressFamily.IPV6,
      DomainPayload.AddressFamily.UNIX);
  /** virDomainMetadataType (and virNetworkMetadataType, the same codes). */
  static final List<DomainPayload.MetadataType> METADATA_TYPE = List.of(
      DomainPayload.MetadataType.DESCRIPTION, DomainPayload.MetadataType.TITLE,
      DomainPayload.MetadataType.ELEMENT);
  /** virDomainMemoryFailureRecipientType. */
  static final List<DomainPayload.MemoryFailureRecipient> MEMORY_FAILURE_RECIPIENT = List.of(
      DomainPayload.MemoryFailureRecipient.HYPERVISOR, DomainPayload.MemoryFailureRecipient.GUEST);
  /** virDomainMemoryFailureActionType. */
  static final List<DomainPayload.MemoryFailureAction> MEMORY_FAILURE_ACTION = List.of(
      DomainPayload.MemoryFailureAction.IGNORE, DomainPayload.MemoryFailureAction.INJECT,
      DomainPayload.MemoryFailureAction.FATAL, DomainPayload.MemoryFailureAction.RESET);
  /** virDomainMemoryFailureFlags, by bit: 1 action required, 2 recursive. */
  static final List<DomainPayload.MemoryFailureFlag> MEMORY_FAILURE_FLAG = List.of(
      DomainPayload.MemoryFailureFlag.ACTION_REQUIRED, DomainPayload.MemoryFailureFlag.RECURSIVE);

  /** {@code table[code]}, or {@code other} when the code is past it (a newer libvirt's). */
  public static <E> E code(List<E> table, int code, E other) {
    E e = code >= 0 && code < table.size() ? table.get(code) : null;
    return e == null ? other : e;
  }

  /** A typed domain event: action the raw ID as before payloads, the detail a name for it. */
  public static DomainEvent typed(EventStamper s, DomainRef d, String rawId, DomainPayload p,
      String detail, Map<String, String> attrs) {
    return DomainEvent.of(s.next(rawId, attrs), d, p, detail);
  }

  /** AGENT_LIFECYCLE: detail the state's name. */
  public static DomainEvent agentLifecycle(EventStamper s, DomainRef d, int state, int reason) {
    DomainPayload.AgentLifecycle p = new DomainPayload.AgentLifecycle(
        code(AGENT_STATE, state, DomainPayload.AgentState.OTHER),
        code(AGENT_REASON, reason, DomainPayload.AgentReason.OTHER));
    return typed(s, d, "AGENT_LIFECYCLE", p, p.state().name(), Map.of("state",
        Integer.toString(state), "reason", Integer.toString(reason)));
  }

  /** BLOCK_THRESHOLD: detail the device. */
  public static DomainEvent blockThreshold(EventStamper s, DomainRef d, String dev, String path,
      long threshold, long excess) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "dev", dev);
    putIf(a, "path", path);
    a.put("threshold", Long.toUnsignedString(threshold));
    a.put("excess", Long.toUnsignedString(excess));
    return typed(s, d, "BLOCK_THRESHOLD", new DomainPayload.BlockThreshold(dev == null ? "" : dev,
        Optional.ofNullable(path), threshold, excess), dev, a);
  }

  /** DISK_CHANGE: detail the reason's name. */
  public static DomainEvent diskChange(EventStamper s, DomainRef d, String oldSrc, String newSrc,
      String alias, int reason) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "oldSrcPath", oldSrc);
    putIf(a, "newSrcPath", newSrc);
    putIf(a, "devAlias", alias);
    a.put("reason", Integer.toString(reason));
    DomainPayload.DiskChange p = new DomainPayload.DiskChange(Optional.ofNullable(oldSrc),
        Optional.ofNullable(newSrc), Optional.ofNullable(alias),
        code(DISK_CHANGE_REASON, reason, DomainPayload.DiskChangeReason.OTHER));
    return typed(s, d, "DISK_CHANGE", p, p.reason().name(), a);
  }

  /** TRAY_CHANGE: detail OPEN or CLOSE. */
  public static DomainEvent trayChange(EventStamper s, DomainRef d, String alias, int reason) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "devAlias", alias);
    a.put("reason", Integer.toString(reason));
    DomainPayload.TrayChange p = new DomainPayload.TrayChange(Optional.ofNullable(alias),
        code(TRAY_REASON, reason, DomainPayload.TrayReason.OTHER));
    return typed(s, d, "TRAY_CHANGE", p, p.reason().name(), a);
  }

  /** A graphics address as the callback's struct holds it: family code, node, service. */
  public static DomainPayload.Graphics.Address graphicsAddress(int family, String node,
      String service) {
    return new DomainPayload.Graphics.Address(
        code(GRAPHICS_FAMILY, family, DomainPayload.AddressFamily.OTHER),
        Optional.ofNullable(node), Optional.ofNullable(service));
  }

  /** GRAPHICS: detail the phase's name; every argument in the payload, nothing dropped. */
  public static DomainEvent graphics(EventStamper s, DomainRef d, int phase,
      DomainPayload.Graphics.Address local, DomainPayload.Graphics.Address remote,
      String authScheme, List<DomainPayload.Graphics.Identity> subject) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("phase", Integer.toString(phase));
    putIf(a, "authScheme", authScheme);
    DomainPayload.Graphics p = new DomainPayload.Graphics(
        code(GRAPHICS_PHASE, phase, DomainPayload.GraphicsPhase.OTHER), Optional.ofNullable(local),
        Optional.ofNullable(remote), Optional.ofNullable(authScheme), subject);
    return typed(s, d, "GRAPHICS", p, p.phase().name(), a);
  }

  /** RTC_CHANGE: no detail. */
  public static DomainEvent rtcChange(EventStamper s, DomainRef d, long utcOffset) {
    return typed(s, d, "RTC_CHANGE", new DomainPayload.RtcChange(utcOffset), null,
        Map.of("utcOffset", Long.toString(utcOffset)));
  }

  /** METADATA_CHANGE: detail the type's name. */
  public static DomainEvent metadataChange(EventStamper s, DomainRef d, int type, String nsuri) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("type", Integer.toString(type));
    putIf(a, "nsuri", nsuri);
    DomainPayload.MetadataChange p = new DomainPayload.MetadataChange(
        code(METADATA_TYPE, type, DomainPayload.MetadataType.OTHER), Optional.ofNullable(nsuri));
    return typed(s, d, "METADATA_CHANGE", p, p.type().name(), a);
  }

  /** MEMORY_FAILURE: detail the action's name; flag bits this version does not know stay raw. */
  public static DomainEvent memoryFailure(EventStamper s, DomainRef d, int recipient, int action,
      int flags) {
    java.util.Set<DomainPayload.MemoryFailureFlag> f =
        java.util.EnumSet.noneOf(DomainPayload.MemoryFailureFlag.class);
    for (int bit = 0; bit < MEMORY_FAILURE_FLAG.size(); bit++) {
      if ((flags & (1 << bit)) != 0) {
        f.add(MEMORY_FAILURE_FLAG.get(bit));
      }
    }
    DomainPayload.MemoryFailure p = new DomainPayload.MemoryFailure(
        code(MEMORY_FAILURE_RECIPIENT, recipient, DomainPayload.MemoryFailureRecipient.OTHER),
        code(MEMORY_FAILURE_ACTION, action, DomainPayload.MemoryFailureAction.OTHER), f);
    return typed(s, d, "MEMORY_FAILURE", p, p.action().name(), Map.of("recipient",
        Integer.toString(recipient), "action", Integer.toString(action), "flags",
        Integer.toUnsignedString(flags)));
  }

  /** NIC_MAC_CHANGE: no detail. */
  public static DomainEvent nicMacChange(EventStamper s, DomainRef d, String alias, String oldMac,
      String newMac) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "devAlias", alias);
    putIf(a, "oldMAC", oldMac);
    putIf(a, "newMAC", newMac);
    return typed(s, d, "NIC_MAC_CHANGE", new DomainPayload.NicMacChange(Optional.ofNullable(alias),
        Optional.ofNullable(oldMac), Optional.ofNullable(newMac)), null, a);
  }

  // ------------------------------------------------------------------ other object families

  /** virStoragePoolEventLifecycleType names, by code. */
  static final List<String> POOL = List.of("DEFINED", "UNDEFINED", "STARTED", "STOPPED",
      "CREATED", "DELETED");
  private static final List<Operation> POOL_OPS = List.of(Operation.ADD, Operation.REMOVE,
      Operation.START, Operation.STOP, Operation.CREATE, Operation.DELETE);
  /** virNodeDeviceEventLifecycleType names, by code. */
  static final List<String> NODE_DEVICE = List.of("CREATED", "DELETED", "DEFINED", "UNDEFINED");
  private static final List<Operation> NODE_DEVICE_OPS = List.of(Operation.CREATE,
      Operation.DELETE, Operation.ADD, Operation.REMOVE);
  /** virSecretEventLifecycleType names, by code. */
  static final List<String> SECRET = List.of("DEFINED", "UNDEFINED");
  private static final List<Operation> SECRET_OPS = List.of(Operation.ADD, Operation.REMOVE);

  /** An object family's lifecycle: {@code <FAMILY>_LIFECYCLE/<TYPE>}, raw codes in attributes. */
  private static ResourceEvent objectLifecycle(EventStamper s, String family, ResourceType type,
      List<String> names, List<Operation> ops, String name, String uuid, int event, int detail) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("event", Integer.toString(event));
    a.put("detail", Integer.toString(detail));
    putIf(a, "uuid", uuid);
    return new ResourceEvent(s.next(family + "_LIFECYCLE/" + name(names, event), a),
        Optional.empty(), code(ops, event, Operation.OTHER), type, Optional.ofNullable(name),
        Optional.empty());
  }

  /** Storage pool LIFECYCLE: defined add, undefined remove, started start, stopped stop, created (built) create, deleted delete. */
  public static ResourceEvent poolLifecycle(EventStamper s, String name, String uuid, int event,
      int detail) {
    return objectLifecycle(s, "STORAGE_POOL", ResourceType.STORAGE_POOL, POOL, POOL_OPS, name,
        uuid, event, detail);
  }

  /** Storage pool REFRESH: refresh-storage-pool. */
  public static ResourceEvent poolRefresh(EventStamper s, String name, String uuid) {
    Map<String, String> a = new LinkedHashMap<>();
    putIf(a, "uuid", uuid);
    return new ResourceEvent(s.next("STORAGE_POOL_REFRESH", a), Optional.empty(),
        Operation.REFRESH, ResourceType.STORAGE_POOL, Optional.ofNullable(name), Optional.empty());
  }

  /** Node device LIFECYCLE: created create, deleted delete, defined add, undefined remove. */
  public static ResourceEvent nodeDeviceLifecycle(EventStamper s, String name, int event,
      int detail) {
    return objectLifecycle(s, "NODE_DEVICE", ResourceType.NODE_DEVICE, NODE_DEVICE,
        NODE_DEVICE_OPS, name, null, event, detail);
  }

  /** Node device UPDATE: set-node-device. */
  public static ResourceEvent nodeDeviceUpdate(EventStamper s, String name) {
    return new ResourceEvent(s.next("NODE_DEVICE_UPDATE", Map.of()), Optional.empty(),
        Operation.SET, ResourceType.NODE_DEVICE, Optional.ofNullable(name), Optional.empty());
  }

  /**
   * Secret LIFECYCLE: defined add, undefined remove; named by its UUID (a secret has no name),
   * its usage type and id in the attributes.
   */
  public static ResourceEvent secretLifecycle(EventStamper s, String uuid, int usageType,
      String usageId, int event, int detail) {
    ResourceEvent e = objectLifecycle(s, "SECRET", ResourceType.SECRET, SECRET, SECRET_OPS, uuid,
        null, event, detail);
    return new ResourceEvent(e.meta().withAttributes(secretAttributes(e.meta().attributes(),
        usageType, usageId)), e.domain(), e.operation(), e.resource(), e.name(), e.service());
  }

  /** Secret VALUE_CHANGED: set-secret. */
  public static ResourceEvent secretValueChanged(EventStamper s, String uuid, int usageType,
      String usageId) {
    return new ResourceEvent(s.next("SECRET_VALUE_CHANGED", secretAttributes(Map.of(), usageType,
        usageId)), Optional.empty(), Operation.SET, ResourceType.SECRET,
        Optional.ofNullable(uuid), Optional.empty());
  }

  /** virSecretUsageType names, by code. */
  static final List<String> SECRET_USAGE = List.of("none", "volume", "ceph", "iscsi", "tls",
      "vtpm");

  private static Map<String, String> secretAttributes(Map<String, String> base, int usageType,
      String usageId) {
    Map<String, String> a = new LinkedHashMap<>(base);
    if (usageType >= 0) {
      a.put("usageType", name(SECRET_USAGE, usageType));
    }
    putIf(a, "usageId", usageId);
    return a;
  }

  /** Network METADATA_CHANGE: set-network, the metadata's type and namespace in attributes. */
  public static ResourceEvent networkMetadataChange(EventStamper s, String name, String uuid,
      int type, String nsuri) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("type", Integer.toString(type));
    a.put("metadataType", code(METADATA_TYPE, type, DomainPayload.MetadataType.OTHER).jsonName());
    putIf(a, "nsuri", nsuri);
    putIf(a, "uuid", uuid);
    return new ResourceEvent(s.next("NETWORK_METADATA_CHANGE", a), Optional.empty(),
        Operation.SET, ResourceType.NETWORK, Optional.ofNullable(name), Optional.empty());
  }

  /** Puts {@code v} unless it is null. */
  public static void putIf(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
