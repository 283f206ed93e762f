package org.virthooks.libvirt;

/**
 * libvirt's domain event IDs ({@code VIR_DOMAIN_EVENT_ID_*}, 0 to 27) and the lib-core event each
 * becomes. The action of an event that has a {@code DomainPayload} is the ID's name, and the
 * callback's raw arguments stay in the attributes under the names they had before the payloads. IDs a daemon does not know (NIC_MAC_CHANGE needs libvirt 11.2) are refused by it at
 * registration; the source logs that once and goes on without them.
 */
public enum DomainEventId {
  /** Lifecycle: a {@code DomainEvent} of the matching kind, the detail by name. */
  LIFECYCLE(0),
  /** Guest reboot: {@code DomainEvent} REBOOTED. */
  REBOOT(1),
  /** RTC offset change: {@code DomainEvent} RTC_CHANGE, payload {@code RtcChange}. */
  RTC_CHANGE(2),
  /** Watchdog: {@code DomainEvent} WATCHDOG, the action as detail. */
  WATCHDOG(3),
  /** Disk I/O error: {@code DomainEvent} IO_ERROR, the action as detail. */
  IO_ERROR(4),
  /** Graphics client (dis)connection: {@code DomainEvent} GRAPHICS, payload {@code Graphics} (phase, both addresses, auth scheme, subject), the phase as detail. */
  GRAPHICS(5),
  /** Disk I/O error with reason: {@code DomainEvent} IO_ERROR, the reason as detail. */
  IO_ERROR_REASON(6),
  /** Control channel failure: {@code DomainEvent} CONTROL_ERROR. */
  CONTROL_ERROR(7),
  /** Block job by disk path: {@code ProgressEvent} BLOCK_JOB. */
  BLOCK_JOB(8),
  /** Removable media change: {@code DomainEvent} DISK_CHANGE, payload {@code DiskChange}, the reason as detail. */
  DISK_CHANGE(9),
  /** Tray open / close: {@code DomainEvent} TRAY_CHANGE, payload {@code TrayChange}, OPEN or CLOSE as detail. */
  TRAY_CHANGE(10),
  /** Power-management wakeup: {@code DomainEvent} PMWAKEUP. */
  PMWAKEUP(11),
  /** Power-management suspend to memory: {@code DomainEvent} PMSUSPENDED, detail MEMORY. */
  PMSUSPEND(12),
  /** Balloon size change: {@code ResourceEvent} set-memory. */
  BALLOON_CHANGE(13),
  /** Power-management suspend to disk: {@code DomainEvent} PMSUSPENDED, detail DISK. */
  PMSUSPEND_DISK(14),
  /** Device removed: {@code ResourceEvent} remove-device, named by its alias. */
  DEVICE_REMOVED(15),
  /** Block job by disk target: {@code ProgressEvent} BLOCK_JOB. */
  BLOCK_JOB_2(16),
  /** Tunables changed: {@code ResourceEvent} set-tunable, parameters as attributes. */
  TUNABLE(17),
  /** Guest agent (dis)connected: {@code DomainEvent} AGENT_LIFECYCLE, payload {@code AgentLifecycle}, the state as detail. */
  AGENT_LIFECYCLE(18),
  /** Device added: {@code ResourceEvent} add-device, named by its alias. */
  DEVICE_ADDED(19),
  /** Migration iteration: {@code ProgressEvent} MIGRATION, ongoing. */
  MIGRATION_ITERATION(20),
  /** Job completed: {@code ProgressEvent} JOB, done, statistics as attributes. */
  JOB_COMPLETED(21),
  /** Device removal failed: {@code ResourceEvent} remove-failed-device. */
  DEVICE_REMOVAL_FAILED(22),
  /** Metadata changed: {@code DomainEvent} METADATA_CHANGE, payload {@code MetadataChange}, the type as detail. */
  METADATA_CHANGE(23),
  /** Block threshold reached: {@code DomainEvent} BLOCK_THRESHOLD, payload {@code BlockThreshold}, the device as detail. */
  BLOCK_THRESHOLD(24),
  /** Memory failure: {@code DomainEvent} MEMORY_FAILURE, payload {@code MemoryFailure}, the action as detail. */
  MEMORY_FAILURE(25),
  /** Memory device size change: {@code ResourceEvent} set-memory, named by its alias. */
  MEMORY_DEVICE_SIZE_CHANGE(26),
  /** NIC MAC address change: {@code DomainEvent} NIC_MAC_CHANGE, payload {@code NicMacChange}. */
  NIC_MAC_CHANGE(27);

  private final int code;

  DomainEventId(int code) {
    this.code = code;
  }

  /** libvirt's numeric ID. */
  public int code() {
    return code;
  }

  /**
   * The ID for libvirt's number.
   *
   * @throws IllegalArgumentException quoting the number when it is not 0 to 27
   */
  public static DomainEventId fromCode(int code) {
    DomainEventId[] all = values();
    if (code < 0 || code >= all.length) {
      throw new IllegalArgumentException("unknown domain event ID: " + code);
    }
    return all[code];
  }

  /**
   * The ID named {@code name}, case-insensitively, with {@code -} or {@code _}.
   *
   * @throws IllegalArgumentException quoting the name and listing the valid ones
   */
  public static DomainEventId parse(String name) {
    String n = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (DomainEventId id : values()) {
      if (id.name().equals(n)) {
        return id;
      }
    }
    throw new IllegalArgumentException("unknown domain event '" + name + "' (expected one of "
        + java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT) + ")");
  }
}
