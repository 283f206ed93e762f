package org.virthooks.libvirt;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * What a hook may need of the domain XML libvirt hands a guest hook on stdin, read once: the
 * identity (name, UUID, id of a running guest) and the devices. The raw XML stays available as
 * the call's document.
 *
 * @param type the hypervisor type ({@code kvm}, {@code qemu}, {@code lxc}...)
 * @param name the domain's name
 * @param uuid its UUID, when the XML has a valid one
 * @param id its numeric id while running (the live XML carries {@code id='N'})
 * @param description the free-form description, when present
 * @param memoryKib the configured memory in KiB, when present
 * @param vcpus the number of virtual CPUs, when present
 * @param disks the disks, in document order
 * @param interfaces the network interfaces, in document order
 * @param otherDevices element names of the other devices ({@code emulator}, {@code serial}...)
 */
public record DomainDescription(String type, String name, Optional<UUID> uuid, OptionalInt id,
    Optional<String> description, Optional<Long> memoryKib, OptionalInt vcpus, List<Disk> disks,
    List<Interface> interfaces, List<String> otherDevices) {

  /** Freezes the lists. */
  public DomainDescription {
    disks = ImmutableList.copyOf(disks);
    interfaces = ImmutableList.copyOf(interfaces);
    otherDevices = ImmutableList.copyOf(otherDevices);
  }

  /**
   * A disk.
   *
   * @param type {@code file}, {@code block}, {@code network}...
   * @param device {@code disk}, {@code cdrom}...
   * @param source the file, device, volume or network name of its source, when it has one
   * @param target the guest's device name ({@code vda})
   * @param bus the bus ({@code virtio}), when given
   */
  public record Disk(String type, String device, Optional<String> source, Optional<String> target,
      Optional<String> bus) {}

  /**
   * A network interface.
   *
   * @param type {@code network}, {@code bridge}, {@code user}...
   * @param mac its MAC address, when given
   * @param source the network or bridge it connects to, when given
   * @param target the host-side device ({@code vnet0}), in live XML
   * @param model the device model ({@code virtio}), when given
   */
  public record Interface(String type, Optional<String> mac, Optional<String> source,
      Optional<String> target, Optional<String> model) {}
}
