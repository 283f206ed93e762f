package org.virthooks.libvirt.domain;

/** The block I/O tunables of a guest (Sys::Virt's BLKIO PARAMETERS); the device lists are strings {@code /dev/path,value,...}. */
public enum BlkioParameter implements ParameterKey {
  /** The guest's I/O weight (VIR_DOMAIN_BLKIO_WEIGHT). */
  WEIGHT("weight", TypedParameter.Type.UINT),
  /** Per-device weights (VIR_DOMAIN_BLKIO_DEVICE_WEIGHT). */
  DEVICE_WEIGHT("device_weight", TypedParameter.Type.STRING),
  /** Per-device read operations per second (VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS). */
  DEVICE_READ_IOPS("device_read_iops_sec", TypedParameter.Type.STRING),
  /** Per-device write operations per second (VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS). */
  DEVICE_WRITE_IOPS("device_write_iops_sec", TypedParameter.Type.STRING),
  /** Per-device bytes read per second (VIR_DOMAIN_BLKIO_DEVICE_READ_BPS). */
  DEVICE_READ_BPS("device_read_bytes_sec", TypedParameter.Type.STRING),
  /** Per-device bytes written per second (VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS). */
  DEVICE_WRITE_BPS("device_write_bytes_sec", TypedParameter.Type.STRING);

  private final String key;
  private final TypedParameter.Type type;

  BlkioParameter(String key, TypedParameter.Type type) {
    this.key = key;
    this.type = type;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public TypedParameter.Type type() {
    return type;
  }
}
