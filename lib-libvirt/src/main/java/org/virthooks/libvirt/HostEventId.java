package org.virthooks.libvirt;

import java.util.Locale;

/**
 * libvirt's event IDs of the objects other than domains: networks, storage pools, node devices
 * and secrets (libvirt-network.h, libvirt-storage.h, libvirt-nodedev.h, libvirt-secret.h), and
 * the {@code ResourceEvent} each becomes. An ID a daemon does not know (network METADATA_CHANGE
 * needs libvirt 9.8) is refused by it at registration; the source logs that once and goes on
 * without it, as for domain event IDs.
 */
public enum HostEventId {
  /** Network lifecycle: add / remove / start / stop {@code network}. */
  NETWORK_LIFECYCLE(Family.NETWORK, 0),
  /** Network metadata changed (libvirt 9.8): {@code set-network}, type and namespace as attributes. */
  NETWORK_METADATA_CHANGE(Family.NETWORK, 1),
  /**
   * Storage pool lifecycle: defined {@code add}, undefined {@code remove}, started {@code start},
   * stopped {@code stop}, created (built) {@code create}, deleted {@code delete}
   * {@code storage-pool}.
   */
  STORAGE_POOL_LIFECYCLE(Family.STORAGE_POOL, 0),
  /** Storage pool refreshed: {@code refresh-storage-pool}. */
  STORAGE_POOL_REFRESH(Family.STORAGE_POOL, 1),
  /**
   * Node device lifecycle: created {@code create}, deleted {@code delete}, defined {@code add},
   * undefined {@code remove} {@code node-device}.
   */
  NODE_DEVICE_LIFECYCLE(Family.NODE_DEVICE, 0),
  /** Node device updated: {@code set-node-device}. */
  NODE_DEVICE_UPDATE(Family.NODE_DEVICE, 1),
  /** Secret lifecycle: defined {@code add}, undefined {@code remove} {@code secret}, named by UUID. */
  SECRET_LIFECYCLE(Family.SECRET, 0),
  /** Secret value changed: {@code set-secret}. */
  SECRET_VALUE_CHANGED(Family.SECRET, 1);

  /** The kind of object, each with its own registration function in libvirt. */
  public enum Family {
    /** virConnectNetworkEventRegisterAny. */
    NETWORK,
    /** virConnectStoragePoolEventRegisterAny. */
    STORAGE_POOL,
    /** virConnectNodeDeviceEventRegisterAny. */
    NODE_DEVICE,
    /** virConnectSecretEventRegisterAny. */
    SECRET
  }

  private final Family family;
  private final int code;

  HostEventId(Family family, int code) {
    this.family = family;
    this.code = code;
  }

  /** The object family, whose registration function takes {@link #code()}. */
  public Family family() {
    return family;
  }

  /** libvirt's numeric ID within its family. */
  public int code() {
    return code;
  }

  /**
   * The ID named {@code name}, case-insensitively, with {@code -} or {@code _}.
   *
   * @throws IllegalArgumentException quoting the name and listing the valid ones
   */
  public static HostEventId parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (HostEventId id : values()) {
      if (id.name().equals(n)) {
        return id;
      }
    }
    throw new IllegalArgumentException("unknown host event '" + name + "' (expected one of "
        + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
  }
}
