package org.virthooks.libvirt.domain;

/** How a domain's XML is dumped (virDomainXMLFlags; Sys::Virt's XML DUMP constants). */
public enum XmlFlag implements LibvirtFlag {
  /** Include security-sensitive information. */
  SECURE(1 << 0),
  /** The persistent definition rather than the live one. */
  INACTIVE(1 << 1),
  /** Update the guest CPU requirements according to the host CPU. */
  UPDATE_CPU(1 << 2),
  /** XML suitable for migration. */
  MIGRATABLE(1 << 3);

  private final int value;

  XmlFlag(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_XML_*). */
  @Override
  public int value() {
    return value;
  }
}
