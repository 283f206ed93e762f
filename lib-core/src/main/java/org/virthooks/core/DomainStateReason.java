package org.virthooks.core;

import java.util.Optional;

/**
 * Why a domain is in its {@link DomainState}: the {@code STATE_<STATE>_<REASON>} list of
 * Sys::Virt::Domain, with libvirt's numeric reason codes (which restart at 0 for each state).
 * The constants marked "newer libvirt" come from later libvirt releases than that list.
 */
public enum DomainStateReason {
  /** It is not known why the domain has no state. */
  NOSTATE_UNKNOWN(DomainState.NOSTATE, 0, "UNKNOWN"),
  /** It is not known why the domain has started. */
  RUNNING_UNKNOWN(DomainState.RUNNING, 0, "UNKNOWN"),
  /** The guest is running after being booted. */
  RUNNING_BOOTED(DomainState.RUNNING, 1, "BOOTED"),
  /** The guest is running after migration. */
  RUNNING_MIGRATED(DomainState.RUNNING, 2, "MIGRATED"),
  /** The guest is running after restore from file. */
  RUNNING_RESTORED(DomainState.RUNNING, 3, "RESTORED"),
  /** The guest is running after restore from snapshot. */
  RUNNING_FROM_SNAPSHOT(DomainState.RUNNING, 4, "FROM_SNAPSHOT"),
  /** The guest is running after a resume. */
  RUNNING_UNPAUSED(DomainState.RUNNING, 5, "UNPAUSED"),
  /** The guest is running after migration abort. */
  RUNNING_MIGRATION_CANCELED(DomainState.RUNNING, 6, "MIGRATION_CANCELED"),
  /** The guest is running after save cancel. */
  RUNNING_SAVE_CANCELED(DomainState.RUNNING, 7, "SAVE_CANCELED"),
  /** The guest is running after wakeup from power management suspend. */
  RUNNING_WAKEUP(DomainState.RUNNING, 8, "WAKEUP"),
  /** The guest is running after a crash was handled (newer libvirt). */
  RUNNING_CRASHED(DomainState.RUNNING, 9, "CRASHED"),
  /** The guest is running in post-copy migration (newer libvirt). */
  RUNNING_POSTCOPY(DomainState.RUNNING, 10, "POSTCOPY"),
  /** The guest is running after a failed post-copy migration (newer libvirt). */
  RUNNING_POSTCOPY_FAILED(DomainState.RUNNING, 11, "POSTCOPY_FAILED"),
  /** The guest is blocked for an unknown reason. */
  BLOCKED_UNKNOWN(DomainState.BLOCKED, 0, "UNKNOWN"),
  /** It is not known why the domain has paused. */
  PAUSED_UNKNOWN(DomainState.PAUSED, 0, "UNKNOWN"),
  /** The guest is paused at admin request. */
  PAUSED_USER(DomainState.PAUSED, 1, "USER"),
  /** The guest is paused due to migration. */
  PAUSED_MIGRATION(DomainState.PAUSED, 2, "MIGRATION"),
  /** The guest is paused due to a save operation. */
  PAUSED_SAVE(DomainState.PAUSED, 3, "SAVE"),
  /** The guest is paused due to a core dump operation. */
  PAUSED_DUMP(DomainState.PAUSED, 4, "DUMP"),
  /** The guest is paused due to an I/O error. */
  PAUSED_IOERROR(DomainState.PAUSED, 5, "IOERROR"),
  /** The guest is paused due to the watchdog. */
  PAUSED_WATCHDOG(DomainState.PAUSED, 6, "WATCHDOG"),
  /** The guest is paused due to a snapshot. */
  PAUSED_FROM_SNAPSHOT(DomainState.PAUSED, 7, "FROM_SNAPSHOT"),
  /** The guest is paused while domain shutdown takes place. */
  PAUSED_SHUTTING_DOWN(DomainState.PAUSED, 8, "SHUTTING_DOWN"),
  /** The guest is paused while a snapshot takes place. */
  PAUSED_SNAPSHOT(DomainState.PAUSED, 9, "SNAPSHOT"),
  /** The guest is paused after a crash (newer libvirt). */
  PAUSED_CRASHED(DomainState.PAUSED, 10, "CRASHED"),
  /** The guest is paused while it starts up (newer libvirt). */
  PAUSED_STARTING_UP(DomainState.PAUSED, 11, "STARTING_UP"),
  /** The guest is paused in post-copy migration (newer libvirt). */
  PAUSED_POSTCOPY(DomainState.PAUSED, 12, "POSTCOPY"),
  /** The guest is paused after a failed post-copy migration (newer libvirt). */
  PAUSED_POSTCOPY_FAILED(DomainState.PAUSED, 13, "POSTCOPY_FAILED"),
  /** The guest is paused after an API error (newer libvirt). */
  PAUSED_API_ERROR(DomainState.PAUSED, 14, "API_ERROR"),
  /** It is not known why the domain has shutdown. */
  SHUTDOWN_UNKNOWN(DomainState.SHUTDOWN, 0, "UNKNOWN"),
  /** The guest is shutdown due to admin request. */
  SHUTDOWN_USER(DomainState.SHUTDOWN, 1, "USER"),
  /** It is not known why the domain has shutoff. */
  SHUTOFF_UNKNOWN(DomainState.SHUTOFF, 0, "UNKNOWN"),
  /** The guest is shutoff due to controlled shutdown. */
  SHUTOFF_SHUTDOWN(DomainState.SHUTOFF, 1, "SHUTDOWN"),
  /** The guest is shutoff after being destroyed. */
  SHUTOFF_DESTROYED(DomainState.SHUTOFF, 2, "DESTROYED"),
  /** The guest is shutoff after a crash. */
  SHUTOFF_CRASHED(DomainState.SHUTOFF, 3, "CRASHED"),
  /** The guest is shutoff after migration. */
  SHUTOFF_MIGRATED(DomainState.SHUTOFF, 4, "MIGRATED"),
  /** The guest is shutoff after a save. */
  SHUTOFF_SAVED(DomainState.SHUTOFF, 5, "SAVED"),
  /** The guest is shutoff due to a virtualization failure. */
  SHUTOFF_FAILED(DomainState.SHUTOFF, 6, "FAILED"),
  /** The guest is shutoff after a snapshot. */
  SHUTOFF_FROM_SNAPSHOT(DomainState.SHUTOFF, 7, "FROM_SNAPSHOT"),
  /** The guest was shut off by the daemon (newer libvirt). */
  SHUTOFF_DAEMON(DomainState.SHUTOFF, 8, "DAEMON"),
  /** It is not known why the domain has crashed. */
  CRASHED_UNKNOWN(DomainState.CRASHED, 0, "UNKNOWN"),
  /** The guest panicked (newer libvirt). */
  CRASHED_PANICKED(DomainState.CRASHED, 1, "PANICKED"),
  /** It is not known why the domain was suspended to RAM. */
  PMSUSPENDED_UNKNOWN(DomainState.PMSUSPENDED, 0, "UNKNOWN"),
  /** It is not known why the domain was suspended to disk. */
  PMSUSPENDED_DISK_UNKNOWN(DomainState.PMSUSPENDED, 0, "DISK_UNKNOWN");

  private final DomainState state;
  private final int code;
  private final String reasonName;

  DomainStateReason(DomainState state, int code, String reasonName) {
    this.state = state;
    this.code = code;
    this.reasonName = reasonName;
  }

  /** The state this reason belongs to. */
  public DomainState state() {
    return state;
  }

  /** libvirt's numeric reason code within the state. */
  public int code() {
    return code;
  }

  /** The reason without its state prefix: {@code DESTROYED} for {@link #SHUTOFF_DESTROYED}. */
  public String reasonName() {
    return reasonName;
  }

  /** The reason for {@code state} with libvirt's code {@code code}, empty when this version does not know it. */
  public static Optional<DomainStateReason> of(DomainState state, int code) {
    for (DomainStateReason r : values()) {
      if (r.state == state && r.code == code) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
