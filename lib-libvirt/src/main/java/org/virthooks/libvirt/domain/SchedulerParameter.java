package org.virthooks.libvirt.domain;

/** The scheduler tunables libvirt names; which ones a guest has depends on the hypervisor's scheduler. */
public enum SchedulerParameter implements ParameterKey {
  /** Proportional CPU weight (posix) (VIR_DOMAIN_SCHEDULER_CPU_SHARES). */
  CPU_SHARES("cpu_shares", TypedParameter.Type.ULLONG),
  /** Quota period of the whole guest, in microseconds (VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD). */
  GLOBAL_PERIOD("global_period", TypedParameter.Type.ULLONG),
  /** Quota of the whole guest per period (VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA). */
  GLOBAL_QUOTA("global_quota", TypedParameter.Type.LLONG),
  /** Quota period of vCPUs, in microseconds (VIR_DOMAIN_SCHEDULER_VCPU_PERIOD). */
  VCPU_PERIOD("vcpu_period", TypedParameter.Type.ULLONG),
  /** Quota of vCPUs per period (VIR_DOMAIN_SCHEDULER_VCPU_QUOTA). */
  VCPU_QUOTA("vcpu_quota", TypedParameter.Type.LLONG),
  /** Quota period of emulator threads, in microseconds (VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD). */
  EMULATOR_PERIOD("emulator_period", TypedParameter.Type.ULLONG),
  /** Quota of emulator threads per period (VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA). */
  EMULATOR_QUOTA("emulator_quota", TypedParameter.Type.LLONG),
  /** Quota period of I/O threads, in microseconds (VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD). */
  IOTHREAD_PERIOD("iothread_period", TypedParameter.Type.ULLONG),
  /** Quota of I/O threads per period (VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA). */
  IOTHREAD_QUOTA("iothread_quota", TypedParameter.Type.LLONG),
  /** Relative weight (credit scheduler) (VIR_DOMAIN_SCHEDULER_WEIGHT). */
  WEIGHT("weight", TypedParameter.Type.UINT),
  /** Maximum cap (credit scheduler) (VIR_DOMAIN_SCHEDULER_CAP). */
  CAP("cap", TypedParameter.Type.UINT),
  /** Reservation (allocation scheduler) (VIR_DOMAIN_SCHEDULER_RESERVATION). */
  RESERVATION("reservation", TypedParameter.Type.LLONG),
  /** Limit (allocation scheduler) (VIR_DOMAIN_SCHEDULER_LIMIT). */
  LIMIT("limit", TypedParameter.Type.LLONG),
  /** Shares (allocation scheduler) (VIR_DOMAIN_SCHEDULER_SHARES). */
  SHARES("shares", TypedParameter.Type.INT);

  private final String key;
  private final TypedParameter.Type type;

  SchedulerParameter(String key, TypedParameter.Type type) {
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
