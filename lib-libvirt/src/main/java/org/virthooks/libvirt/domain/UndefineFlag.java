package org.virthooks.libvirt.domain;

/** What undefining a guest removes or keeps as well (virDomainUndefineFlagsValues). */
public enum UndefineFlag implements LibvirtFlag {
  /** Also remove a managed save image. */
  MANAGED_SAVE(1 << 0),
  /** Also remove snapshot metadata. */
  SNAPSHOTS_METADATA(1 << 1),
  /** Also remove the NVRAM file. */
  NVRAM(1 << 2),
  /** Keep the NVRAM file. */
  KEEP_NVRAM(1 << 3),
  /** Also remove checkpoint metadata. */
  CHECKPOINTS_METADATA(1 << 4),
  /** Also remove TPM state (libvirt 8.9). */
  TPM(1 << 5),
  /** Keep TPM state (libvirt 8.9). */
  KEEP_TPM(1 << 6);

  private final int value;

  UndefineFlag(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_UNDEFINE_*). */
  @Override
  public int value() {
    return value;
  }
}
