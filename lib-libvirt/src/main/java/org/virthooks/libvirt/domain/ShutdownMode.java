package org.virthooks.libvirt.domain;

/** How a guest is asked to shut down or reboot (virDomainShutdownFlagValues and virDomainRebootFlagValues, which have the same bits); an empty set lets the hypervisor choose. */
public enum ShutdownMode implements LibvirtFlag {
  /** Send an ACPI power-button event. */
  ACPI_POWER_BTN(1 << 0),
  /** Use the guest agent. */
  GUEST_AGENT(1 << 1),
  /** Use initctl (containers). */
  INITCTL(1 << 2),
  /** Send a signal (containers). */
  SIGNAL(1 << 3),
  /** Use paravirtual guest control. */
  PARAVIRT(1 << 4);

  private final int value;

  ShutdownMode(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_SHUTDOWN_* = VIR_DOMAIN_REBOOT_*). */
  @Override
  public int value() {
    return value;
  }
}
