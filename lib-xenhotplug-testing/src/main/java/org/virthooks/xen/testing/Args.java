package org.virthooks.xen.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.virthooks.xen.internal.Frame;

/** The arguments a request's payload carries; a malformed payload is {@code EINVAL}. */
final class Args {
  /** A WRITE's path and the raw value after its NUL. */
  record PathValue(String path, byte[] value) {}

  private Args() {}

  /** The single NUL-terminated string a one-argument request carries. */
  static String one(Frame f) {
    byte[] p = f.payload();
    int nul = indexOfNul(p);
    if (nul < 0 || nul != p.length - 1) {
      throw new XsError("EINVAL");
    }
    return new String(p, 0, nul, StandardCharsets.UTF_8);
  }

  /** NUL-terminated strings; a payload not ending in NUL is malformed. */
  static List<String> strings(Frame f) {
    byte[] p = f.payload();
    if (p.length == 0 || p[p.length - 1] != 0) {
      throw new XsError("EINVAL");
    }
    return Frame.split(p);
  }

  /** Exactly {@code n} NUL-terminated strings. */
  static List<String> strings(Frame f, int n) {
    List<String> parts = strings(f);
    if (parts.size() != n) {
      throw new XsError("EINVAL");
    }
    return parts;
  }

  /** A path, NUL, then the value: bytes, which may themselves hold NULs. */
  static PathValue pathAndValue(Frame f) {
    byte[] p = f.payload();
    int nul = indexOfNul(p);
    if (nul < 0) {
      throw new XsError("EINVAL");
    }
    return new PathValue(new String(p, 0, nul, StandardCharsets.UTF_8),
        Arrays.copyOfRange(p, nul + 1, p.length));
  }

  private static int indexOfNul(byte[] p) {
    for (int i = 0; i < p.length; i++) {
      if (p[i] == 0) {
        return i;
      }
    }
    return -1;
  }
}
