package org.virthooks.xen;

import java.util.Locale;

/**
 * One entry of a node's permission list, {@code r5} on the wire. The first entry of a list names
 * the owner and the access of every domain not listed after it.
 *
 * @param domid the domain
 * @param access what it may do
 */
public record XsPermission(int domid, Access access) {
  /** What a domain may do with a node. */
  public enum Access {
    /** Nothing ({@code n}). */
    NONE('n'),
    /** Read ({@code r}). */
    READ('r'),
    /** Write ({@code w}). */
    WRITE('w'),
    /** Read and write ({@code b}). */
    BOTH('b');

    private final char letter;

    Access(char letter) {
      this.letter = letter;
    }

    /** The letter on the wire. */
    public char letter() {
      return letter;
    }

    /** True for read or both. */
    public boolean canRead() {
      return this == READ || this == BOTH;
    }

    /** True for write or both. */
    public boolean canWrite() {
      return this == WRITE || this == BOTH;
    }
  }

  /** Validates the fields. */
  public XsPermission {
    if (domid < 0) {
      throw new IllegalArgumentException("domid must not be negative: " + domid);
    }
    if (access == null) {
      throw new IllegalArgumentException("access must not be null");
    }
  }

  /** Parses {@code n0}, {@code r5}, {@code w12}, {@code b3}. */
  public static XsPermission parse(String text) {
    if (text == null || text.length() < 2) {
      throw bad(text);
    }
    Access a = switch (text.charAt(0)) {
      case 'n' -> Access.NONE;
      case 'r' -> Access.READ;
      case 'w' -> Access.WRITE;
      case 'b' -> Access.BOTH;
      default -> throw bad(text);
    };
    String digits = text.substring(1);
    if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
      throw bad(text);
    }
    return new XsPermission(Integer.parseInt(digits), a);
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("invalid xenstore permission '" + text
        + "' (expected n, r, w or b followed by a domain id, such as r5)");
  }

  /** The wire form: {@code r5}. */
  @Override
  public String toString() {
    return String.valueOf(access.letter()).toLowerCase(Locale.ROOT) + domid;
  }
}
