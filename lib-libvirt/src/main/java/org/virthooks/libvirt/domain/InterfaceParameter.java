package org.virthooks.libvirt.domain;

/** The bandwidth tunables of a guest interface (Sys::Virt's INTERFACE PARAMETERS; KiB/s and KiB). */
public enum InterfaceParameter implements ParameterKey {
  /** Inbound average rate (VIR_DOMAIN_BANDWIDTH_IN_AVERAGE). */
  IN_AVERAGE("inbound.average", TypedParameter.Type.UINT),
  /** Inbound peak rate (VIR_DOMAIN_BANDWIDTH_IN_PEAK). */
  IN_PEAK("inbound.peak", TypedParameter.Type.UINT),
  /** Inbound burst size (VIR_DOMAIN_BANDWIDTH_IN_BURST). */
  IN_BURST("inbound.burst", TypedParameter.Type.UINT),
  /** Inbound guaranteed minimum rate (VIR_DOMAIN_BANDWIDTH_IN_FLOOR). */
  IN_FLOOR("inbound.floor", TypedParameter.Type.UINT),
  /** Outbound average rate (VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE). */
  OUT_AVERAGE("outbound.average", TypedParameter.Type.UINT),
  /** Outbound peak rate (VIR_DOMAIN_BANDWIDTH_OUT_PEAK). */
  OUT_PEAK("outbound.peak", TypedParameter.Type.UINT),
  /** Outbound burst size (VIR_DOMAIN_BANDWIDTH_OUT_BURST). */
  OUT_BURST("outbound.burst", TypedParameter.Type.UINT);

  private final String key;
  private final TypedParameter.Type type;

  InterfaceParameter(String key, TypedParameter.Type type) {
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
