package org.virthooks.libvirt;

import java.util.Optional;
import java.util.UUID;

/**
 * The {@code <hookData>} a network hook gets on stdin: the network and, for port operations, the
 * port.
 *
 * @param network the network's name
 * @param uuid its UUID, when valid
 * @param bridge its bridge device, when it has one
 * @param port the port, for port-created / port-deleted
 */
public record NetworkHookData(String network, Optional<UUID> uuid, Optional<String> bridge,
    Optional<Port> port) {

  /**
   * A network port.
   *
   * @param uuid the port's UUID, when valid
   * @param ownerName the name of the domain owning it
   * @param ownerUuid that domain's UUID, when valid
   * @param mac the MAC address
   */
  public record Port(Optional<UUID> uuid, Optional<String> ownerName, Optional<UUID> ownerUuid,
      Optional<String> mac) {}
}
