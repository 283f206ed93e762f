package org.virthooks.ldm.testing;

import java.util.Set;
import org.virthooks.ldm.LdmEventCategory;

/**
 * Which registration receives an event of each action, as the reference (Oracle's guides, seed
 * 000) lists them, kept apart from the client's translator tables on purpose: a simulator that
 * routed with the client's own table could not catch a mistake in it.
 */
final class SimulatorRoutes {
  static final Set<String> DOMAIN = Set.of("add-domain", "remove-domain", "bind-domain",
      "unbind-domain", "start-domain", "stop-domain", "domain-reset", "panic-domain",
      "migrate-domain");
  // ldmd has no progress registration: migration progress comes with hardware events
  static final Set<String> HARDWARE = Set.of("add-spconfig", "set-spconfig", "remove-spconfig",
      "migration-process");
  static final Set<String> RESOURCE = Set.of("add-vdiskserverdevice",
      "remove-vdiskserverdevice", "set-vdiskserverdevice", "remove-vdiskserver", "set-vconscon",
      "remove-vconscon", "set-vswitch", "remove-vswitch", "remove-vdpcs", "add-vcpu",
      "add-crypto", "add-memory", "add-io", "add-variable", "add-vconscon", "add-vdisk",
      "add-vdiskserver", "add-vnet", "add-vswitch", "add-vdpcs", "add-vdpcc", "set-vcpu",
      "set-crypto", "set-memory", "set-variable", "set-vnet", "set-vconsole", "set-vdisk",
      "remove-vcpu", "remove-crypto", "remove-memory", "remove-io", "remove-variable",
      "remove-vdisk", "remove-vnet", "remove-vdpcc");

  private SimulatorRoutes() {}

  /** The category whose registration receives {@code action}; null for an unknown action. */
  static LdmEventCategory of(String action) {
    if (DOMAIN.contains(action)) {
      return LdmEventCategory.DOMAIN;
    }
    if (HARDWARE.contains(action)) {
      return LdmEventCategory.HARDWARE;
    }
    return RESOURCE.contains(action) ? LdmEventCategory.RESOURCE : null;
  }
}
