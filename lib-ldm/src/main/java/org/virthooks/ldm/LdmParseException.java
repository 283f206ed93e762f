package org.virthooks.ldm;

/**
 * A document of the ldmd XML interface could not be read: not well-formed, refused (a DTD, an
 * entity) or over a limit (size, depth, attributes). Carries the line and column where the reader
 * stopped, counted from 1; -1 when unknown.
 */
public final class LdmParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  /**
   * An exception at {@code line}, {@code column}. A line below 1 means both are unknown, a column
   * below 1 that the column is (the JDK's parser reports 0 and even negative columns).
   */
  public LdmParseException(String message, int line, int column, Throwable cause) {
    super(message + position(line, column), cause);
    this.line = line < 1 ? -1 : line;
    this.column = line < 1 || column < 1 ? -1 : column;
  }

  private static String position(int line, int column) {
    if (line < 1) {
      return "";
    }
    return column < 1 ? " (line " + line + ")" : " (line " + line + ", column " + column + ")";
  }

  /** An exception at {@code line}, {@code column}, without cause. */
  public LdmParseException(String message, int line, int column) {
    this(message, line, column, null);
  }

  /** The line where reading stopped, from 1; -1 when unknown. */
  public int line() {
    return line;
  }

  /** The column where reading stopped, from 1; -1 when unknown (also when the line is known). */
  public int column() {
    return column;
  }

  /** This error moved by the position of the document within a larger input (a file, a stream). */
  public LdmParseException shiftedBy(int startLine, int startColumn) {
    if (line <= 0) {
      return this;
    }
    int l = line + startLine - 1;
    int c = line == 1 && column > 0 ? column + startColumn - 1 : column;
    String plain = getMessage();
    int cut = plain.lastIndexOf(" (line ");
    return new LdmParseException(cut < 0 ? plain : plain.substring(0, cut), l, c, getCause());
  }
}
