package org.virthooks.libvirt.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * The state of a guest's control channel (virDomainControlInfo; Sys::Virt's
 * {@code get_control_info}).
 *
 * @param state the state, empty for a number this version does not know
 * @param rawState libvirt's number of the state
 * @param details 0, or in {@link ControlState#ERROR} libvirt's number of a
 *     {@link ControlErrorReason}
 * @param stateTime how long the channel has been in this state (zero for OK and ERROR)
 */
public record ControlInfo(Optional<ControlState> state, int rawState, int details,
    Duration stateTime) {

  /** The reason of an error state, empty in other states or for an unknown number. */
  public Optional<ControlErrorReason> errorReason() {
    return state.filter(s -> s == ControlState.ERROR)
        .flatMap(s -> ControlErrorReason.fromCode(details));
  }
}
