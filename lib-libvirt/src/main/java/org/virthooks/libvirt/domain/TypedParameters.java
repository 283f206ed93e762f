package org.virthooks.libvirt.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A set of libvirt typed parameters, in libvirt's order, one per name: what a tunables getter
 * returns and a setter takes. Read with the {@link ParameterKey} enums where libvirt names the
 * keys ({@link MemoryParameter}, {@link BlkioParameter}...), by name otherwise. Immutable.
 */
public final class TypedParameters implements Iterable<TypedParameter> {
  /** libvirt's "unlimited" for memory tunables (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, in KiB). */
  public static final long MEMORY_UNLIMITED = 9007199254740991L;

  private static final TypedParameters EMPTY = new TypedParameters(new LinkedHashMap<>());
  private final Map<String, TypedParameter> byName;

  private TypedParameters(LinkedHashMap<String, TypedParameter> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** No parameters. */
  public static TypedParameters empty() {
    return EMPTY;
  }

  /**
   * These parameters, in this order.
   *
   * @throws IllegalArgumentException when a name is given twice
   */
  public static TypedParameters of(List<TypedParameter> params) {
    Builder b = builder();
    params.forEach(b::add);
    return b.build();
  }

  /** A builder for a setter's parameters. */
  public static Builder builder() {
    return new Builder();
  }

  /** The parameter of this name. */
  public Optional<TypedParameter> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The parameter of this key. */
  public Optional<TypedParameter> get(ParameterKey key) {
    return get(key.key());
  }

  /** The integer value of this key (unsigned types as their bits), empty when absent. */
  public OptionalLong getLong(ParameterKey key) {
    TypedParameter p = byName.get(key.key());
    return p == null ? OptionalLong.empty() : OptionalLong.of(p.asLong());
  }

  /** The value of this key as text, empty when absent. */
  public Optional<String> getText(ParameterKey key) {
    return get(key).map(TypedParameter::text);
  }

  /** Every parameter, in order. */
  public List<TypedParameter> asList() {
    return List.copyOf(byName.values());
  }

  /** Every parameter as {@code name → text}, in order. */
  public Map<String, String> asText() {
    Map<String, String> m = new LinkedHashMap<>();
    byName.values().forEach(p -> m.put(p.name(), p.text()));
    return Collections.unmodifiableMap(m);
  }

  /** How many parameters. */
  public int size() {
    return byName.size();
  }

  /** True when there are none. */
  public boolean isEmpty() {
    return byName.isEmpty();
  }

  @Override
  public Iterator<TypedParameter> iterator() {
    return byName.values().iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TypedParameters t && new ArrayList<>(byName.values())
        .equals(new ArrayList<>(t.byName.values()));
  }

  @Override
  public int hashCode() {
    return new ArrayList<>(byName.values()).hashCode();
  }

  @Override
  public String toString() {
    return byName.values().toString();
  }

  /** Collects parameters, checking each value against the type its key wants. */
  public static final class Builder {
    private final LinkedHashMap<String, TypedParameter> params = new LinkedHashMap<>();

    private Builder() {}

    /** An integer key; checked against the key's integer type. */
    public Builder set(ParameterKey key, long value) {
      switch (key.type()) {
        case INT, UINT, LLONG, ULLONG -> add(new TypedParameter(key.key(), key.type(), value));
        default -> throw wrongType(key, "an integer");
      }
      return this;
    }

    /** A string key. */
    public Builder set(ParameterKey key, String value) {
      if (key.type() != TypedParameter.Type.STRING) {
        throw wrongType(key, "a string");
      }
      return add(new TypedParameter(key.key(), key.type(), value));
    }

    /** Any parameter, such as a scheduler field libvirt does not name. */
    public Builder add(TypedParameter p) {
      if (params.putIfAbsent(p.name(), p) != null) {
        throw new IllegalArgumentException("parameter given twice: " + p.name());
      }
      return this;
    }

    /** The parameters. */
    public TypedParameters build() {
      return params.isEmpty() ? EMPTY : new TypedParameters(new LinkedHashMap<>(params));
    }

    private static IllegalArgumentException wrongType(ParameterKey key, String given) {
      return new IllegalArgumentException(key.key() + " is a " + key.type() + ", not "
          + given);
    }
  }
}
