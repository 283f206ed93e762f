package org.virthooks.xen;

import java.util.Map;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugRequest;

/**
 * A {@link HotplugHandler} that also names backend keys to write after a successful add, as the
 * stock {@code block} script writes {@code node} for a loop-attached file.
 */
public interface XenBlockHandler extends HotplugHandler {
  /** Keys (relative to the backend path) written before {@code physical-device}; none by default. */
  default Map<String, String> extraBackendKeys(HotplugRequest request, BlockDevice device) {
    return Map.of();
  }
}
