package org.virthooks.libvirt.domain;

import java.util.Optional;

/** The state of the channel libvirt uses to control a guest (virDomainControlState; Sys::Virt's CONTROL INFO constants). */
public enum ControlState {
  /** Operational, ready for commands. */
  OK(0),
  /** A background job runs; only some commands are allowed. */
  JOB(1),
  /** Occupied by a running command. */
  OCCUPIED(2),
  /** Unusable; the details give a {@link ControlErrorReason}. */
  ERROR(3);

  private final int code;

  ControlState(int code) {
    this.code = code;
  }

  /** libvirt's number (VIR_DOMAIN_CONTROL_*). */
  public int code() {
    return code;
  }

  /** The constant for libvirt's number, empty when this version does not know it. */
  public static Optional<ControlState> fromCode(int code) {
    for (ControlState v : values()) {
      if (v.code == code) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
