package org.virthooks.core.internal;

import java.util.Locale;

/** Lower-case, hyphenated names of enum constants as used in JSON and argv. */
public final class JsonNames {
  private JsonNames() {}

  /** {@code NETWORK_PORT} becomes {@code network-port}. */
  public static String of(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant whose JSON name or Java name equals {@code name}, ignoring case, hyphens and
   * underscores alike; {@code fallback} when none does.
   *
   * <p>Underscores stay accepted on purpose: Java names ({@code REMOVE_FAILED}) are names too,
   * and JSON written by snapshots before domain kinds were hyphenated says {@code io_error}.
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String name, E fallback) {
    if (name == null) {
      return fallback;
    }
    String n = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(n)) {
        return e;
      }
    }
    return fallback;
  }
}
