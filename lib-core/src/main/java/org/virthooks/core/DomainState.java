package org.virthooks.core;

/** The execution state of a domain, with libvirt's numeric codes (virDomainState). */
public enum DomainState {
  /** No state. */
  NOSTATE(0),
  /** Running. */
  RUNNING(1),
  /** Blocked on a resource. */
  BLOCKED(2),
  /** Paused by the user or the hypervisor. */
  PAUSED(3),
  /** Being shut down. */
  SHUTDOWN(4),
  /** Shut off. */
  SHUTOFF(5),
  /** Crashed. */
  CRASHED(6),
  /** Suspended by guest power management. */
  PMSUSPENDED(7);

  private final int code;

  DomainState(int code) {
    this.code = code;
  }

  /** libvirt's numeric code. */
  public int code() {
    return code;
  }

  /**
   * The state for libvirt's numeric code.
   *
   * @throws IllegalArgumentException quoting the code when it is unknown
   */
  public static DomainState fromCode(int code) {
    for (DomainState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown domain state code: " + code);
  }
}
