package org.virthooks.libvirt.domain;

import java.util.Optional;

/** Why a guest's control channel is in {@link ControlState#ERROR} (virDomainControlErrorReason). */
public enum ControlErrorReason {
  /** The server gave no reason. */
  NONE(0),
  /** An unknown reason. */
  UNKNOWN(1),
  /** The monitor connection is broken. */
  MONITOR(2),
  /** An internal failure in libvirt. */
  INTERNAL(3);

  private final int code;

  ControlErrorReason(int code) {
    this.code = code;
  }

  /** libvirt's number (VIR_DOMAIN_CONTROL_ERROR_REASON_*). */
  public int code() {
    return code;
  }

  /** The constant for libvirt's number, empty when this version does not know it. */
  public static Optional<ControlErrorReason> fromCode(int code) {
    for (ControlErrorReason v : values()) {
      if (v.code == code) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
