package org.virthooks.libvirt.domain;

/** The memory tunables (Sys::Virt's MEMORY PARAMETERS; values in KiB, {@link TypedParameters#MEMORY_UNLIMITED} for none). */
public enum MemoryParameter implements ParameterKey {
  /** The most memory the guest may use (VIR_DOMAIN_MEMORY_HARD_LIMIT). */
  HARD_LIMIT("hard_limit", TypedParameter.Type.ULLONG),
  /** The memory enforced under contention (VIR_DOMAIN_MEMORY_SOFT_LIMIT). */
  SOFT_LIMIT("soft_limit", TypedParameter.Type.ULLONG),
  /** The memory guaranteed to the guest (VIR_DOMAIN_MEMORY_MIN_GUARANTEE). */
  MIN_GUARANTEE("min_guarantee", TypedParameter.Type.ULLONG),
  /** The most memory plus swap the guest may use (VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT). */
  SWAP_HARD_LIMIT("swap_hard_limit", TypedParameter.Type.ULLONG);

  private final String key;
  private final TypedParameter.Type type;

  MemoryParameter(String key, TypedParameter.Type type) {
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
