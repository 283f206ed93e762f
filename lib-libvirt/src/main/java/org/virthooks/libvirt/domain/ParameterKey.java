package org.virthooks.libvirt.domain;

/** A tunable parameter libvirt names, with the type libvirt expects for it. */
public interface ParameterKey {
  /** libvirt's field name, such as {@code hard_limit}. */
  String key();

  /** The type libvirt reads and writes the field as. */
  TypedParameter.Type type();
}
