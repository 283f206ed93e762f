package org.virthooks.libvirt.domain;

/** The I/O throttling of one guest disk (Sys::Virt's BLOCK IOTUNE PARAMETERS). */
public enum BlockIoTuneParameter implements ParameterKey {
  /** Total bytes per second (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC). */
  TOTAL_BYTES_SEC("total_bytes_sec", TypedParameter.Type.ULLONG),
  /** Read bytes per second (VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC). */
  READ_BYTES_SEC("read_bytes_sec", TypedParameter.Type.ULLONG),
  /** Write bytes per second (VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC). */
  WRITE_BYTES_SEC("write_bytes_sec", TypedParameter.Type.ULLONG),
  /** Total operations per second (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC). */
  TOTAL_IOPS_SEC("total_iops_sec", TypedParameter.Type.ULLONG),
  /** Read operations per second (VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC). */
  READ_IOPS_SEC("read_iops_sec", TypedParameter.Type.ULLONG),
  /** Write operations per second (VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC). */
  WRITE_IOPS_SEC("write_iops_sec", TypedParameter.Type.ULLONG),
  /** Total bytes per second in a burst (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX). */
  TOTAL_BYTES_SEC_MAX("total_bytes_sec_max", TypedParameter.Type.ULLONG),
  /** Read bytes per second in a burst (VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX). */
  READ_BYTES_SEC_MAX("read_bytes_sec_max", TypedParameter.Type.ULLONG),
  /** Write bytes per second in a burst (VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX). */
  WRITE_BYTES_SEC_MAX("write_bytes_sec_max", TypedParameter.Type.ULLONG),
  /** Total operations per second in a burst (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX). */
  TOTAL_IOPS_SEC_MAX("total_iops_sec_max", TypedParameter.Type.ULLONG),
  /** Read operations per second in a burst (VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX). */
  READ_IOPS_SEC_MAX("read_iops_sec_max", TypedParameter.Type.ULLONG),
  /** Write operations per second in a burst (VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX). */
  WRITE_IOPS_SEC_MAX("write_iops_sec_max", TypedParameter.Type.ULLONG),
  /** Seconds a total bytes burst may last (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH). */
  TOTAL_BYTES_SEC_MAX_LENGTH("total_bytes_sec_max_length", TypedParameter.Type.ULLONG),
  /** Seconds a read bytes burst may last (VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH). */
  READ_BYTES_SEC_MAX_LENGTH("read_bytes_sec_max_length", TypedParameter.Type.ULLONG),
  /** Seconds a write bytes burst may last (VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH). */
  WRITE_BYTES_SEC_MAX_LENGTH("write_bytes_sec_max_length", TypedParameter.Type.ULLONG),
  /** Seconds a total operations burst may last (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH). */
  TOTAL_IOPS_SEC_MAX_LENGTH("total_iops_sec_max_length", TypedParameter.Type.ULLONG),
  /** Seconds a read operations burst may last (VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH). */
  READ_IOPS_SEC_MAX_LENGTH("read_iops_sec_max_length", TypedParameter.Type.ULLONG),
  /** Seconds a write operations burst may last (VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH). */
  WRITE_IOPS_SEC_MAX_LENGTH("write_iops_sec_max_length", TypedParameter.Type.ULLONG),
  /** The I/O size one operation counts for (VIR_DOMAIN_BLOCK_IOTUNE_SIZE_IOPS_SEC). */
  SIZE_IOPS_SEC("size_iops_sec", TypedParameter.Type.ULLONG),
  /** The throttling group the disk shares limits with (VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME). */
  GROUP_NAME("group_name", TypedParameter.Type.STRING);

  private final String key;
  private final TypedParameter.Type type;

  BlockIoTuneParameter(String key, TypedParameter.Type type) {
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
