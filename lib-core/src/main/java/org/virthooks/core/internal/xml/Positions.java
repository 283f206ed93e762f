package org.virthooks.core.internal.xml;

import javax.xml.stream.Location;

/** Locations of refusals made before the parser runs, in the parser's terms. */
final class Positions {
  private Positions() {}

  /** The position of the character at {@code n} of {@code text}: line and column from 1. */
  static Location at(CharSequence text, int n) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < n; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    int l = line;
    int col = column;
    return new Location() {
      @Override
      public int getLineNumber() {
        return l;
      }

      @Override
      public int getColumnNumber() {
        return col;
      }

      @Override
      public int getCharacterOffset() {
        return n;
      }

      @Override
      public String getPublicId() {
        return null;
      }

      @Override
      public String getSystemId() {
        return null;
      }
    };
  }
}
