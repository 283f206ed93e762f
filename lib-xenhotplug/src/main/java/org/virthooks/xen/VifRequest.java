package org.virthooks.xen;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call of a network hotplug script by libxl: {@code vif-bridge online type_if=vif} and
 * friends.
 *
 * @param action {@code online}, {@code offline} (type_if=vif) or {@code add}, {@code remove}
 *     (type_if=tap, the emulated NIC)
 * @param typeIf {@code vif} or {@code tap}
 * @param guestDomid the guest's domain id, when known
 * @param deviceId the NIC's device id, when known
 * @param vif the backend interface name ({@code vif} in the environment: {@code vif3.0})
 * @param netdev the gateway device libxl names ({@code netdev}), possibly empty
 * @param backend the keys under the backend path
 * @param environment the environment the script was called with
 */
public record VifRequest(
    String action,
    String typeIf,
    OptionalInt guestDomid,
    Optional<String> deviceId,
    Optional<String> vif,
    Optional<String> netdev,
    Map<String, String> backend,
    Map<String, String> environment) {

  /** Freezes the maps. */
  public VifRequest {
    backend = Map.copyOf(backend);
    environment = Map.copyOf(environment);
  }

  /** The bridge the backend names ({@code bridge}), when it does. */
  public Optional<String> bridge() {
    return Optional.ofNullable(backend.get("bridge"));
  }
}
