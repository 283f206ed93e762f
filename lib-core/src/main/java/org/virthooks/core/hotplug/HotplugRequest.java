package org.virthooks.core.hotplug;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.internal.Checks;

/**
 * One call of a hotplug handler: the phase, the guest and device it is for, the target the user
 * configured, and what the toolstack wrote for the device.
 *
 * @param phase the operation
 * @param guestDomid the guest's domain id, when the runner could tell
 * @param deviceId the device's id within the guest (xenstore's {@code <devid>}), when known
 * @param params the target from the disk configuration ({@code params}), when given
 * @param mode {@code w} or {@code r} when the toolstack says ({@code mode}), else empty
 * @param backend the keys under the backend path the runner read, never null
 * @param environment the environment variables the script was called with that matter, never null
 */
public record HotplugRequest(
    HotplugPhase phase,
    OptionalInt guestDomid,
    Optional<String> deviceId,
    Optional<String> params,
    Optional<String> mode,
    Map<String, String> backend,
    Map<String, String> environment) {

  /** Validates and freezes the fields. */
  public HotplugRequest {
    Checks.notNull("phase", phase);
    guestDomid = guestDomid == null ? OptionalInt.empty() : guestDomid;
    if (guestDomid.isPresent()) {
      Checks.notNegative("guest domid", guestDomid.getAsInt());
    }
    deviceId = deviceId == null ? Optional.empty() : deviceId;
    params = params == null ? Optional.empty() : params;
    mode = mode == null ? Optional.empty() : mode;
    backend = backend == null ? ImmutableMap.of() : ImmutableMap.copyOf(backend);
    environment = environment == null ? ImmutableMap.of() : ImmutableMap.copyOf(environment);
  }

  /** A request with only a phase and a target, as tests build them. */
  public static HotplugRequest of(HotplugPhase phase, String params) {
    return new HotplugRequest(phase, OptionalInt.empty(), Optional.empty(), Optional.ofNullable(params),
        Optional.empty(), ImmutableMap.of(), ImmutableMap.of());
  }

  /** True when the device is to be attached read-only ({@code mode} is {@code r} or {@code ro}). */
  public boolean readOnly() {
    return mode.map(m -> m.startsWith("r")).orElse(false);
  }
}
