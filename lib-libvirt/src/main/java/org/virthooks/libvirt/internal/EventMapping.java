package org.virthooks.libvirt.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.DomainEvent;
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

  /** LIFECYCLE: action {@code LIFECYCLE/STOPPED/DESTROYED}, detail {@code DESTROYED}. */
  public static DomainEvent lifecycle(EventStamper s, DomainRef d, int event, int detail) {
    String type = lifecycleName(event);
    String det = detailName(event, detail);
    DomainEvent.Kind kind = event >= 0 && event < LIFECYCLE_KINDS.size()
        ? LIFECYCLE_KINDS.get(event) : DomainEvent.Kind.OTHER;
    Map<String, String> a = new LinkedHashMap<>();
    a.put("event", Integer.toString(event));
    a.put("detail", Integer.toString(detail));
    return DomainEvent.of(s.next("LIFECYCLE/" + type + "/" + det, a), d, kind, det);
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

  /** JOB_COMPLETED: done at 100 %, the statistics in the attributes. */
  public static ProgressEvent jobCompleted(EventStamper s, DomainRef d, Map<String, String> stats) {
    return new ProgressEvent(s.next("JOB_COMPLETED", stats), Optional.ofNullable(d),
        ProgressEvent.Kind.JOB, OptionalInt.of(100), ProgressEvent.Status.DONE, Optional.empty());
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

  /** Puts {@code v} unless it is null. */
  public static void putIf(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
