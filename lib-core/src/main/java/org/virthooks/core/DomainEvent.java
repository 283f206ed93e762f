package org.virthooks.core;

import java.util.Objects;
import java.util.Optional;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.JsonNames;

/**
 * Something happened to a domain as a whole: the nine LDoms domain actions, libvirt's lifecycle
 * types and its reboot, watchdog, I/O-error and control-error events, and the hook points of
 * libvirt's hook scripts.
 *
 * @param meta source, time, sequence number, raw action
 * @param domain the domain, never null
 * @param kind what happened
 * @param detail the source's detail for the kind, such as libvirt's {@code DESTROYED} for a stop
 * @param payload the typed data of the kinds that carry some ({@link DomainPayload}); when
 *     present, its {@link DomainPayload#kind()} is this event's kind
 */
public record DomainEvent(EventMeta meta, DomainRef domain, Kind kind, Optional<String> detail,
    Optional<DomainPayload> payload) implements VirtEvent {

  /** What happened to the domain. */
  public enum Kind {
    /** Defined or added (LDoms add-domain, libvirt DEFINED). */
    DEFINED,
    /** Undefined or removed (LDoms remove-domain, libvirt UNDEFINED). */
    UNDEFINED,
    /** Resources bound (LDoms bind-domain). */
    BOUND,
    /** Resources released (LDoms unbind-domain). */
    UNBOUND,
    /** Started (LDoms start-domain, libvirt STARTED). */
    STARTED,
    /** Stopped (LDoms stop-domain, libvirt STOPPED). */
    STOPPED,
    /** Paused (libvirt SUSPENDED). */
    SUSPENDED,
    /** Running again after a pause (libvirt RESUMED). */
    RESUMED,
    /** The guest is shutting down (libvirt SHUTDOWN). */
    SHUTDOWN,
    /** Suspended by guest power management (libvirt PMSUSPENDED). */
    PMSUSPENDED,
    /** Woken up from power management suspend (libvirt PMWAKEUP). */
    PMWAKEUP,
    /** Crashed (libvirt CRASHED). */
    CRASHED,
    /** Reset (LDoms domain-reset). */
    RESET,
    /** Panicked (LDoms panic-domain). */
    PANICKED,
    /** Migrated (LDoms migrate-domain). */
    MIGRATED,
    /** Rebooted by the guest (libvirt REBOOT). */
    REBOOTED,
    /** A watchdog fired (libvirt WATCHDOG). */
    WATCHDOG,
    /** A disk I/O error (libvirt IO_ERROR). */
    IO_ERROR,
    /** The control channel failed (libvirt CONTROL_ERROR). */
    CONTROL_ERROR,
    /** The guest agent connected or disconnected (libvirt AGENT_LIFECYCLE). */
    AGENT_LIFECYCLE,
    /** A write passed a disk's threshold (libvirt BLOCK_THRESHOLD). */
    BLOCK_THRESHOLD,
    /** A disk's medium changed by itself at start (libvirt DISK_CHANGE). */
    DISK_CHANGE,
    /** A removable-media tray opened or closed (libvirt TRAY_CHANGE). */
    TRAY_CHANGE,
    /** A graphics client connected, initialised or disconnected (libvirt GRAPHICS). */
    GRAPHICS,
    /** The guest changed its real-time clock (libvirt RTC_CHANGE). */
    RTC_CHANGE,
    /** The description, title or a metadata element changed (libvirt METADATA_CHANGE). */
    METADATA_CHANGE,
    /** A hardware memory error (libvirt MEMORY_FAILURE). */
    MEMORY_FAILURE,
    /** The guest changed a network interface's MAC address (libvirt NIC_MAC_CHANGE). */
    NIC_MAC_CHANGE,
    /** Hook point: resources are about to be prepared for a start. */
    PREPARING,
    /** Hook point: the domain is about to start. */
    STARTING,
    /** Hook point: resources of a stopped domain are released. */
    RELEASED,
    /** Hook point: an incoming migration is about to begin. */
    MIGRATING,
    /** Hook point: a restore from a saved image is about to begin. */
    RESTORING,
    /** Hook point: the daemon reconnects to a running domain after its restart. */
    RECONNECTED,
    /** A domain event this version does not know: read {@link #action()}. */
    OTHER;

    // JsonNames, not a local toLowerCase, so that IO_ERROR is io-error like every other name
    private final String jsonName = JsonNames.of(this);

    /** The lower-case, {@code -} separated name used in JSON ({@code io-error}). */
    public String jsonName() {
      return jsonName;
    }
  }

  /** Validates the fields; a payload must belong to the event's kind. */
  public DomainEvent {
    Objects.requireNonNull(meta, "meta");
    Checks.notNull("domain", domain);
    Checks.notNull("kind", kind);
    detail = detail == null ? Optional.empty() : detail;
    payload = payload == null ? Optional.empty() : payload;
    if (payload.isPresent() && payload.get().kind() != kind) {
      throw new IllegalArgumentException("a " + payload.get().kind().jsonName()
          + " payload on a " + kind.jsonName() + " event");
    }
  }

  /** An event without payload (the form of every kind before payloads existed). */
  public DomainEvent(EventMeta meta, DomainRef domain, Kind kind, Optional<String> detail) {
    this(meta, domain, kind, detail, Optional.empty());
  }

  /** An event without detail. */
  public static DomainEvent of(EventMeta meta, DomainRef domain, Kind kind) {
    return new DomainEvent(meta, domain, kind, Optional.empty());
  }

  /** An event of the payload's kind, with a detail. */
  public static DomainEvent of(EventMeta meta, DomainRef domain, DomainPayload payload,
      String detail) {
    Checks.notNull("payload", payload);
    return new DomainEvent(meta, domain, payload.kind(), Optional.ofNullable(detail),
        Optional.of(payload));
  }

  /** The payload, when it is of type {@code type}: {@code payload(DomainPayload.Graphics.class)}. */
  public <P extends DomainPayload> Optional<P> payload(Class<P> type) {
    return payload.filter(type::isInstance).map(type::cast);
  }

  /** An event with a detail. */
  public static DomainEvent of(EventMeta meta, DomainRef domain, Kind kind, String detail) {
    return new DomainEvent(meta, domain, kind, Optional.ofNullable(detail));
  }

  @Override
  public EventCategory category() {
    return EventCategory.DOMAIN;
  }

  @Override
  public String kindName() {
    return kind.jsonName();
  }

  @Override
  public Optional<DomainRef> optionalDomain() {
    return Optional.of(domain);
  }
}
