package org.virthooks.ldm.internal;

import java.io.Writer;

/**
 * What the marshaller writes, made to read back as it was: the JDK's stream writer writes tab,
 * newline and carriage return raw, and a reader turns them into spaces in attribute values and a
 * carriage return into a newline in text; it also writes characters that XML 1.0 cannot carry at
 * all (C0 controls, U+FFFE, U+FFFF, unpaired surrogates, which a program can put in a message).
 * Tab, newline and carriage return become character references, which mean the same in text and
 * in attribute values; the others become U+FFFD. The marshaller writes no white space of its own
 * but spaces, so nothing of the markup changes.
 */
final class XmlSafeWriter extends Writer {
  private final StringBuilder out;
  /** A high surrogate waiting for its low half. */
  private char high;

  XmlSafeWriter(StringBuilder out) {
    this.out = out;
  }

  @Override
  public void write(char[] cbuf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      put(cbuf[i]);
    }
  }

  @Override
  public void write(int c) {
    put((char) c);
  }

  @Override
  public void write(String str, int off, int len) {
    for (int i = off; i < off + len; i++) {
      put(str.charAt(i));
    }
  }

  private void put(char c) {
    if (high != 0) {
      if (Character.isLowSurrogate(c)) {
        out.append(high).append(c);
        high = 0;
        return;
      }
      out.append('\uFFFD');
      high = 0;
    }
    if (Character.isHighSurrogate(c)) {
      high = c;
    } else if (c == '\t') {
      out.append("&#9;");
    } else if (c == '\n') {
      out.append("&#10;");
    } else if (c == '\r') {
      out.append("&#13;");
    } else if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF' || Character.isLowSurrogate(c)) {
      out.append('\uFFFD');
    } else {
      out.append(c);
    }
  }

  @Override
  public void flush() {
    // everything is in the builder already
  }

  @Override
  public void close() {
    if (high != 0) {
      out.append('\uFFFD');
      high = 0;
    }
  }
}
