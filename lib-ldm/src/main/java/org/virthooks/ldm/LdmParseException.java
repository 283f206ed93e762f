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

  /** An exception at {@code line}, {@code column}. */
  public LdmParseException(String message, int line, int column, Throwable cause) {
    super(message + (line > 0 ? " (line " + line + ", column " + column + ")" : ""), cause);
    this.line = line;
    this.column = column;
  }

  /** An exception at {@code line}, {@code column}, without cause. */
  public LdmParseException(String message, int line, int column) {
    this(message, line, column, null);
  }

  /** The line where reading stopped, from 1; -1 when unknown. */
  public int line() {
    return line;
  }

  /** The column where reading stopped, from 1; -1 when unknown. */
  public int column() {
    return column;
  }

  /** This error moved by the position of the document within a larger input (a file, a stream). */
  public LdmParseException shiftedBy(int startLine, int startColumn) {
    if (line <= 0) {
      return this;
    }
    int l = line + startLine - 1;
    int c = line == 1 ? column + startColumn - 1 : column;
    String plain = getMessage();
    int cut = plain.lastIndexOf(" (line ");
    return new LdmParseException(cut < 0 ? plain : plain.substring(0, cut), l, c, getCause());
  }
}
