package org.virthooks.libvirt.domain;

/** The NUMA tunables of a guest (Sys::Virt's NUMA PARAMETERS). */
public enum NumaParameter implements ParameterKey {
  /** The host nodes memory comes from, such as {@code 0-1} (VIR_DOMAIN_NUMA_NODESET). */
  NODESET("numa_nodeset", TypedParameter.Type.STRING),
  /** The policy: 0 strict, 1 preferred, 2 interleave, 3 restrictive (VIR_DOMAIN_NUMA_MODE). */
  MODE("numa_mode", TypedParameter.Type.INT);

  private final String key;
  private final TypedParameter.Type type;

  NumaParameter(String key, TypedParameter.Type type) {
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
