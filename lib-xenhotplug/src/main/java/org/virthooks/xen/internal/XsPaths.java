package org.virthooks.xen.internal;

/**
 * The path rules of xenstore ({@code docs/misc/xenstore.txt}): characters {@code A-Za-z0-9-/_@},
 * no empty component, no trailing slash, absolute paths at most 3072 bytes and relative ones at
 * most 2048; {@code @introduceDomain}-style names only for watches.
 */
public final class XsPaths {
  /** {@code XENSTORE_ABS_PATH_MAX}. */
  public static final int ABS_MAX = 3072;
  /** {@code XENSTORE_REL_PATH_MAX}. */
  public static final int REL_MAX = 2048;

  private XsPaths() {}

  /** Null when {@code path} is a valid node path, else the reason it is not. */
  public static String problem(String path) {
    if (path == null || path.isEmpty()) {
      return "path is empty";
    }
    boolean abs = path.charAt(0) == '/';
    int max = abs ? ABS_MAX : REL_MAX;
    if (path.length() > max) {
      return (abs ? "absolute" : "relative") + " path is " + path.length()
          + " characters long, more than " + max;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '/' || c == '_' || c == '@';
      if (!ok) {
        return "character '" + printable(c) + "' at " + i
            + " is not allowed (only A-Z a-z 0-9 - / _ @)";
      }
    }
    if (path.contains("//")) {
      return "path has an empty component (//)";
    }
    if (path.length() > 1 && path.endsWith("/")) {
      return "path ends with /";
    }
    return null;
  }

  /** True for the special watch names such as {@code @introduceDomain}. */
  public static boolean isSpecial(String path) {
    return path != null && path.startsWith("@");
  }

  /**
   * Checks a path a client sends.
   *
   * @throws IllegalArgumentException quoting the path and the rule it breaks
   */
  public static String check(String path) {
    String p = problem(path);
    if (p != null) {
      throw new IllegalArgumentException("invalid xenstore path '" + path + "': " + p);
    }
    return path;
  }

  private static String printable(char c) {
    return c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
