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
 */
public record DomainEvent(EventMeta meta, DomainRef domain, Kind kind, Optional<String> detail)
    implements VirtEvent {

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

  /** Validates the fields. */
  public DomainEvent {
    Objects.requireNonNull(meta, "meta");
    Checks.notNull("domain", domain);
    Checks.notNull("kind", kind);
    detail = detail == null ? Optional.empty() : detail;
  }

  /** An event without detail. */
  public static DomainEvent of(EventMeta meta, DomainRef domain, Kind kind) {
    return new DomainEvent(meta, domain, kind, Optional.empty());
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
