package org.virthooks.libvirt.testing;

import java.util.UUID;

/** Domain XML for test guests: the test driver's, and a tiny QEMU guest that runs under TCG. */
public final class TestDomains {
  private TestDomains() {}

  /** A guest of libvirt's in-process test driver ({@code test:///default}). */
  public static String testDriverGuest(String name) {
    return "<domain type='test'><name>" + name + "</name><memory>65536</memory>"
        + "<os><type>hvm</type></os></domain>";
  }

  /**
   * A 64 MiB, one-vCPU QEMU guest under TCG (no KVM needed), machine {@code pc} with ACPI (for
   * PCI hot-plug), with no disk: it starts and sits in SeaBIOS, which is all a lifecycle test
   * needs.
   */
  public static String tinyQemuGuest(String name, UUID uuid) {
    return tinyQemuGuest(name, uuid, null);
  }

  /** The tiny guest with one virtio interface on the libvirt network {@code network}. */
  public static String tinyQemuGuest(String name, UUID uuid, String network) {
    return "<domain type='qemu'>\n"
        + "  <name>" + name + "</name>\n"
        + "  <uuid>" + uuid + "</uuid>\n"
        + "  <memory unit='MiB'>64</memory>\n"
        + "  <vcpu>1</vcpu>\n"
        + "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
        + "  <features><acpi/></features>\n"
        + "  <on_reboot>restart</on_reboot>\n"
        + "  <devices>\n"
        + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
        + (network == null ? "" : "    <interface type='network'><source network='" + network
            + "'/><model type='virtio'/></interface>\n")
        + "  </devices>\n"
        + "</domain>\n";
  }

  /** An isolated network (a bridge, no IP, no forwarding: no dnsmasq needed). */
  public static String isolatedNetwork(String name, String bridge) {
    return "<network><name>" + name + "</name><bridge name='" + bridge + "'/></network>";
  }
}
