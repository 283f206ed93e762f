package org.virthooks.core;

import java.util.Optional;
import org.virthooks.core.internal.Checks;

/**
 * A domain's state and the reason for it, as libvirt's {@code virDomainGetState} reports them.
 *
 * @param state the state
 * @param reason the reason, empty when this version does not know the raw code
 * @param rawReason the source's numeric reason code, kept even when {@code reason} is empty
 */
public record DomainStatus(DomainState state, Optional<DomainStateReason> reason, int rawReason) {

  /** Validates that the reason belongs to the state. */
  public DomainStatus {
    Checks.notNull("state", state);
    reason = reason == null ? Optional.empty() : reason;
    reason.ifPresent(r -> {
      if (r.state() != state) {
        throw new IllegalArgumentException("reason " + r + " does not belong to state " + state);
      }
    });
  }

  /**
   * The status for libvirt's numeric state and reason.
   *
   * @throws IllegalArgumentException quoting the state code when it is unknown
   */
  public static DomainStatus fromCodes(int state, int reason) {
    DomainState s = DomainState.fromCode(state);
    return new DomainStatus(s, DomainStateReason.of(s, reason), reason);
  }

  /** A status from a known reason. */
  public static DomainStatus of(DomainStateReason reason) {
    return new DomainStatus(reason.state(), Optional.of(reason), reason.code());
  }
}
