package org.virthooks.libvirt.internal;

import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a C array of {@code virTypedParameter} (80-byte name, int type, 8-byte union at offset
 * 88; 96 bytes each on LP64) into strings, for events such as TUNABLE and JOB_COMPLETED.
 */
public final class TypedParams {
  private static final int FIELD = 80;
  private static final int SIZE = 96;
  private static final int VALUE = 88;

  private TypedParams() {}

  /** The parameters as {@code name → value}; an unreadable array gives what was read. */
  public static Map<String, String> read(Pointer params, int n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (params == null || n <= 0) {
      return out;
    }
    for (int i = 0; i < Math.min(n, 1024); i++) {
      long base = (long) i * SIZE;
      byte[] name = params.getByteArray(base, FIELD);
      int len = 0;
      while (len < FIELD && name[len] != 0) {
        len++;
      }
      String key = new String(name, 0, len, java.nio.charset.StandardCharsets.UTF_8);
      int type = params.getInt(base + FIELD);
      long v = base + VALUE;
      String value = switch (type) {
        case 1 -> Integer.toString(params.getInt(v));
        case 2 -> Integer.toUnsignedString(params.getInt(v));
        case 3 -> Long.toString(params.getLong(v));
        case 4 -> Long.toUnsignedString(params.getLong(v));
        case 5 -> Double.toString(params.getDouble(v));
        case 6 -> params.getByte(v) != 0 ? "true" : "false";
        case 7 -> {
          Pointer p = params.getPointer(v);
          yield p == null ? "" : p.getString(0, "UTF-8");
        }
        default -> "?type" + type;
      };
      out.put(key, value);
    }
    return out;
  }
}
