package org.virthooks.libvirt.domain;

/** How a guest is started or created (virDomainCreateFlags; Sys::Virt's DOMAIN CREATION constants). */
public enum StartFlag implements LibvirtFlag {
  /** Start in the paused state. */
  PAUSED(1 << 0),
  /** Destroy the guest when the connection that started it closes. */
  AUTODESTROY(1 << 1),
  /** Avoid file system cache pollution (restoring a managed save). */
  BYPASS_CACHE(1 << 2),
  /** Boot, discarding any managed save image. */
  FORCE_BOOT(1 << 3),
  /** Validate the XML against the schema (creation from XML). */
  VALIDATE(1 << 4),
  /** Re-initialise NVRAM from its template (libvirt 8.1). */
  RESET_NVRAM(1 << 5);

  private final int value;

  StartFlag(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_START_*). */
  @Override
  public int value() {
    return value;
  }
}
