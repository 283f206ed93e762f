package org.virthooks.libvirt.domain;

import java.util.Objects;

/**
 * One libvirt typed parameter (virTypedParameter): a name, its type and its value. Integers of
 * every width are held as {@code long} ({@code UINT} and {@code ULLONG} as their unsigned bits),
 * booleans as {@link Boolean}, strings as {@link String}.
 *
 * @param name the field name (at most 79 bytes in UTF-8)
 * @param type libvirt's type of the value
 * @param value a {@link Long}, {@link Double}, {@link Boolean} or {@link String} as the type says
 */
public record TypedParameter(String name, Type type, Object value) {

  /** libvirt's parameter types (virTypedParameterType). */
  public enum Type {
    /** A signed 32-bit integer. */
    INT(1),
    /** An unsigned 32-bit integer. */
    UINT(2),
    /** A signed 64-bit integer. */
    LLONG(3),
    /** An unsigned 64-bit integer. */
    ULLONG(4),
    /** A double. */
    DOUBLE(5),
    /** A boolean. */
    BOOLEAN(6),
    /** A string. */
    STRING(7);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** libvirt's number (VIR_TYPED_PARAM_*). */
    public int code() {
      return code;
    }

    /** The type of libvirt's number, or null when unknown. */
    static Type ofCode(int code) {
      return code >= 1 && code <= 7 ? values()[code - 1] : null;
    }
  }

  /** Checks that the value fits the type and the name fits libvirt's field. */
  public TypedParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 79) {
      throw new IllegalArgumentException("parameter name must be 1 to 79 bytes: '" + name + "'");
    }
    Class<?> want = switch (type) {
      case INT, UINT, LLONG, ULLONG -> Long.class;
      case DOUBLE -> Double.class;
      case BOOLEAN -> Boolean.class;
      case STRING -> String.class;
    };
    if (!want.isInstance(value)) {
      throw new IllegalArgumentException("parameter " + name + " of type " + type + " needs a "
          + want.getSimpleName() + ", got " + value.getClass().getSimpleName());
    }
    if (type == Type.INT) {
      long v = (Long) value;
      if (v != (int) v) {
        throw new IllegalArgumentException("parameter " + name + " is an INT: " + v);
      }
    } else if (type == Type.UINT && ((Long) value >>> 32) != 0) {
      throw new IllegalArgumentException("parameter " + name + " is a UINT: " + value);
    }
  }

  /** The value as a {@code long}, for the integer types (unsigned ones as their bits). */
  public long asLong() {
    if (value instanceof Long l) {
      return l;
    }
    throw new IllegalStateException("parameter " + name + " is a " + type + ", not an integer");
  }

  /** The value as text; unsigned types in unsigned decimal. */
  public String text() {
    return switch (type) {
      case UINT, ULLONG -> Long.toUnsignedString((Long) value);
      default -> value.toString();
    };
  }

  /** {@code name=value}. */
  @Override
  public String toString() {
    return name + "=" + text();
  }
}
