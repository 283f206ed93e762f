package org.virthooks.libvirt.domain;

import java.util.Optional;

/** The I/O error a guest disk had (virDomainDiskErrorCode). */
public enum DiskErrorCode {
  /** No error. */
  NONE(0),
  /** An unspecified I/O error. */
  UNSPEC(1),
  /** No space left on the device. */
  NO_SPACE(2);

  private final int code;

  DiskErrorCode(int code) {
    this.code = code;
  }

  /** libvirt's number (VIR_DOMAIN_DISK_ERROR_*). */
  public int code() {
    return code;
  }

  /** The constant for libvirt's number, empty when this version does not know it. */
  public static Optional<DiskErrorCode> fromCode(int code) {
    for (DiskErrorCode v : values()) {
      if (v.code == code) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
