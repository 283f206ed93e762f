package org.virthooks.core.internal.xml;

import javax.xml.stream.XMLStreamException;

/**
 * Refusals made on the document's characters before the parser sees them: a document type
 * declaration (so that the JDK's DTD scanner never runs on hostile input: it once threw a
 * MissingResourceException on a crafted internal subset) and XML 1.1.
 */
final class XmlProlog {
  /** How far into the input an XML declaration's end is looked for. */
  static final int MAX_DECLARATION = 256;

  private XmlProlog() {}

  static void check(CharSequence text) throws XMLStreamException {
    refuseXml11(text);
    refuseDoctype(text);
  }

  /**
   * Refuses an XML 1.1 document: neither ldmd nor libvirt writes one, and XML 1.1 lets character
   * references put control characters in values, which no XML 1.0 document can carry.
   */
  private static void refuseXml11(CharSequence c) throws XMLStreamException {
    int end = c.length();
    if (!startsWith(c, 0, "<?xml") || end < 6 || !isSpace(c.charAt(5))) {
      return;
    }
    int close = Math.min(after(c, 5, Math.min(end, MAX_DECLARATION), "?>"), end);
    String decl = c.subSequence(0, close).toString();
    int v = decl.indexOf("version");
    if (v < 0) {
      return;
    }
    v += "version".length();
    while (v < decl.length() && (isSpace(decl.charAt(v)) || decl.charAt(v) == '=')) {
      v++;
    }
    if (v < decl.length() && (decl.charAt(v) == '"' || decl.charAt(v) == '\'')
        && decl.startsWith("1.1" + decl.charAt(v), v + 1)) {
      throw new XMLStreamException("XML 1.1 documents are refused (only XML 1.0 is read)",
          Positions.at(c, v + 1));
    }
  }

  /**
   * Refuses a {@code <!DOCTYPE} in the prolog (after the declaration, comments, processing
   * instructions and white space); anything malformed there is left to the parser, and so is a
   * {@code <!DOCTYPE} anywhere else, which is not well-formed.
   */
  private static void refuseDoctype(CharSequence c) throws XMLStreamException {
    int i = 0;
    int end = c.length();
    while (i < end) {
      if (isSpace(c.charAt(i))) {
        i++;
      } else if (startsWith(c, i, "<?")) {
        i = after(c, i + 2, end, "?>");
      } else if (startsWith(c, i, "<!--")) {
        i = after(c, i + 4, end, "-->");
      } else if (startsWith(c, i, "<!DOCTYPE")) {
        throw new XMLStreamException("document type declarations (DTD) are refused",
            Positions.at(c, i));
      } else {
        return;
      }
    }
  }

  private static int after(CharSequence c, int from, int end, String close) {
    for (int i = from; i + close.length() <= end; i++) {
      if (startsWith(c, i, close)) {
        return i + close.length();
      }
    }
    return end;
  }

  private static boolean startsWith(CharSequence c, int at, String s) {
    if (c.length() - at < s.length()) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (c.charAt(at + k) != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
