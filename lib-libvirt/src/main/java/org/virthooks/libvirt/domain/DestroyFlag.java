package org.virthooks.libvirt.domain;

/** How a guest is powered off (virDomainDestroyFlagsValues). */
public enum DestroyFlag implements LibvirtFlag {
  /** Send only SIGTERM, never SIGKILL, to the hypervisor process. */
  GRACEFUL(1 << 0),
  /** Remove the guest's logs (libvirt 8.3). */
  REMOVE_LOGS(1 << 1);

  private final int value;

  DestroyFlag(int value) {
    this.value = value;
  }

  /** libvirt's value (VIR_DOMAIN_DESTROY_*). */
  @Override
  public int value() {
    return value;
  }
}
