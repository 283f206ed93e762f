package org.virthooks.core.hotplug;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a handler answered to one call, as a value: the block device for add and localattach, the
 * version for version, nothing for the others. Made by {@link #call}.
 *
 * @param phase the operation answered
 * @param device the block device, for add and localattach
 * @param version the version, for version
 */
public record HotplugAnswer(HotplugPhase phase, Optional<BlockDevice> device, OptionalInt version) {

  /** Calls the method of {@code handler} that serves {@code request.phase()}. */
  public static HotplugAnswer call(HotplugHandler handler, HotplugRequest request)
      throws HotplugException {
    HotplugPhase p = request.phase();
    return switch (p) {
      case VERSION -> new HotplugAnswer(p, Optional.empty(), OptionalInt.of(handler.version()));
      case PREPARE -> {
        handler.prepare(request);
        yield none(p);
      }
      case ADD -> withDevice(p, handler.add(request));
      case REMOVE -> {
        handler.remove(request);
        yield none(p);
      }
      case LOCALATTACH -> withDevice(p, handler.localAttach(request));
      case LOCALDETACH -> {
        handler.localDetach(request);
        yield none(p);
      }
      case UNPREPARE -> {
        handler.unprepare(request);
        yield none(p);
      }
    };
  }

  private static HotplugAnswer none(HotplugPhase p) {
    return new HotplugAnswer(p, Optional.empty(), OptionalInt.empty());
  }

  private static HotplugAnswer withDevice(HotplugPhase p, BlockDevice d) throws HotplugException {
    if (d == null) {
      throw new HotplugException("hotplug handler returned no block device for " + p.argument());
    }
    return new HotplugAnswer(p, Optional.of(d), OptionalInt.empty());
  }
}
