package org.virthooks.libvirt.domain;

/** Which metadata of a guest is read or written (virDomainMetadataType). */
public enum MetadataType implements LibvirtFlag {
  /** The {@code <description>} element. */
  DESCRIPTION(0),
  /** The {@code <title>} element. */
  TITLE(1),
  /** One element of {@code <metadata>}, named by its XML namespace URI. */
  ELEMENT(2);

  private final int value;

  MetadataType(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_METADATA_*). */
  @Override
  public int value() {
    return value;
  }
}
