package org.virthooks.libvirt.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virthooks.libvirt.domain.TypedParameter;
import org.virthooks.libvirt.domain.TypedParameters;

/**
 * Reads and writes C arrays of {@code virTypedParameter} (80-byte name, int type, 8-byte union at
 * offset 88; 96 bytes each on LP64): for events such as TUNABLE and JOB_COMPLETED (as strings)
 * and for the domain API's tunables (typed).
 */
public final class TypedParams {
  /** The size of one element. */
  public static final int SIZE = 96;
  private static final int FIELD = 80;
  private static final int VALUE = 88;
  private static final int MAX = 1024;

  private TypedParams() {}

  /** The parameters as {@code name → value}; an unreadable array gives what was read. */
  public static Map<String, String> read(Pointer params, int n) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; params != null && i < Math.min(n, MAX); i++) {
      long base = (long) i * SIZE;
      int type = params.getInt(base + FIELD);
      Object value = value(params, base, type);
      out.put(name(params, base), value == null ? "?type" + type
          : type == 4 ? Long.toUnsignedString((Long) value) : String.valueOf(value));
    }
    return out;
  }

  /** The parameters, typed; a parameter of a type this version does not know is left out. */
  public static TypedParameters readTyped(Pointer params, int n) {
    List<TypedParameter> out = new ArrayList<>();
    for (int i = 0; params != null && i < Math.min(n, MAX); i++) {
      long base = (long) i * SIZE;
      int type = params.getInt(base + FIELD);
      Object value = value(params, base, type);
      if (value != null) {
        out.add(new TypedParameter(name(params, base), TypedParameter.Type.values()[type - 1],
            value));
      }
    }
    return TypedParameters.of(out);
  }

  /**
   * The parameters as a native array. The strings' memory is referenced from the returned
   * {@link Written}, which must stay reachable until the call that reads the array returns.
   */
  public static Written write(TypedParameters params) {
    Memory m = new Memory((long) Math.max(1, params.size()) * SIZE);
    m.clear();
    List<Memory> strings = new ArrayList<>();
    int i = 0;
    for (TypedParameter p : params) {
      long base = (long) i++ * SIZE;
      byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
      m.write(base, name, 0, name.length);
      m.setInt(base + FIELD, p.type().code());
      long v = base + VALUE;
      switch (p.type()) {
        case INT, UINT -> m.setInt(v, (int) p.asLong());
        case LLONG, ULLONG -> m.setLong(v, p.asLong());
        case DOUBLE -> m.setDouble(v, (Double) p.value());
        case BOOLEAN -> m.setInt(v, (Boolean) p.value() ? 1 : 0);
        case STRING -> {
          byte[] b = ((String) p.value()).getBytes(StandardCharsets.UTF_8);
          Memory s = new Memory(b.length + 1L);
          s.write(0, b, 0, b.length);
          s.setByte(b.length, (byte) 0);
          strings.add(s);
          m.setPointer(v, s);
        }
        default -> throw new IllegalStateException("unknown type " + p.type());
      }
    }
    return new Written(m, params.size(), List.copyOf(strings));
  }

  /**
   * A native array of parameters and the strings it points to.
   *
   * @param array the array
   * @param count its number of elements
   * @param strings the strings' memory, kept reachable with the array
   */
  public record Written(Memory array, int count, List<Memory> strings) {}

  private static String name(Pointer params, long base) {
    byte[] name = params.getByteArray(base, FIELD);
    int len = 0;
    while (len < FIELD && name[len] != 0) {
      len++;
    }
    return new String(name, 0, len, StandardCharsets.UTF_8);
  }

  /** The value of the element at {@code base}, null for an unknown type. */
  private static Object value(Pointer params, long base, int type) {
    long v = base + VALUE;
    return switch (type) {
      case 1 -> (long) params.getInt(v);
      case 2 -> Integer.toUnsignedLong(params.getInt(v));
      case 3, 4 -> params.getLong(v);
      case 5 -> params.getDouble(v);
      case 6 -> params.getByte(v) != 0;
      case 7 -> {
        Pointer p = params.getPointer(v);
        yield p == null ? "" : p.getString(0, "UTF-8");
      }
      default -> null;
    };
  }
}
