package org.virthooks.ldm.internal;

import java.io.CharArrayReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.ldm.LdmLimits;

/**
 * The one StAX input factory of this module, configured once against XXE and entity expansion,
 * then shared (the JDK factory is safe to share once configured).
 *
 * <p>The bytes are decoded here, strictly, and the parser reads characters: the JDK parser prints
 * "[Fatal Error] ..." to {@code System.err} when it meets a malformed byte sequence itself (its
 * StAX error reporter falls back to a printing handler for encoding errors). The encoding is found
 * as XML 1.0 appendix F says: a byte order mark, the first four bytes, else the declaration's
 * {@code encoding}, else UTF-8. A document type declaration is refused before the parser sees it,
 * so that its DTD scanner never runs on hostile input, and so is an XML 1.1 document.
 */
public final class HardenedXml {
  private static final XMLInputFactory INPUT = create();
  /** How far into the input an XML declaration's end is looked for. */
  private static final int MAX_DECLARATION = 256;

  private HardenedXml() {}

  private static XMLInputFactory create() {
    // the JDK's own implementation, whatever else is on the class path: its behaviour is tested here
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external entities are refused: " + systemId);
    });
    return f;
  }

  /** A reader over {@code len} bytes at {@code off}, prefixes stripped, limits enforced. */
  public static XMLStreamReader open(byte[] bytes, int off, int len, LdmLimits limits)
      throws XMLStreamException {
    CharBuffer text = decode(bytes, off, len);
    refuseXml11(text);
    refuseDoctype(text);
    XMLStreamReader raw = INPUT.createXMLStreamReader(
        new CharArrayReader(text.array(), text.position(), text.remaining()));
    return new PrefixStrippingReader(raw, limits.maxDepth(), limits.maxAttributes());
  }

  /** The characters of the document, without byte order mark; a malformed sequence is an error. */
  static CharBuffer decode(byte[] b, int off, int len) throws XMLStreamException {
    int skip = 0;
    Charset cs;
    if (starts(b, off, len, 0x00, 0x00, 0xFE, 0xFF)) {
      cs = Charset.forName("UTF-32BE");
      skip = 4;
    } else if (starts(b, off, len, 0xFF, 0xFE, 0x00, 0x00)) {
      cs = Charset.forName("UTF-32LE");
      skip = 4;
    } else if (starts(b, off, len, 0xEF, 0xBB, 0xBF)) {
      cs = StandardCharsets.UTF_8;
      skip = 3;
    } else if (starts(b, off, len, 0xFE, 0xFF)) {
      cs = StandardCharsets.UTF_16BE;
      skip = 2;
    } else if (starts(b, off, len, 0xFF, 0xFE)) {
      cs = StandardCharsets.UTF_16LE;
      skip = 2;
    } else if (starts(b, off, len, 0x00, 0x00, 0x00, 0x3C)) {
      cs = Charset.forName("UTF-32BE");
    } else if (starts(b, off, len, 0x3C, 0x00, 0x00, 0x00)) {
      cs = Charset.forName("UTF-32LE");
    } else if (starts(b, off, len, 0x00, 0x3C, 0x00, 0x3F)) {
      cs = StandardCharsets.UTF_16BE;
    } else if (starts(b, off, len, 0x3C, 0x00, 0x3F, 0x00)) {
      cs = StandardCharsets.UTF_16LE;
    } else {
      cs = declaredEncoding(b, off, len);
    }
    CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, off + skip, len - skip);
    CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16,
        (long) Math.ceil((len - skip) * (double) d.maxCharsPerByte()) + 1));
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isUnderflow()) {
        r = d.flush(out);
        if (r.isUnderflow()) {
          break;
        }
      }
      if (r.isOverflow()) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        out.flip();
        bigger.put(out);
        out = bigger;
        continue;
      }
      throw new XMLStreamException("malformed " + cs.name() + ": " + r.length()
          + " byte(s) at offset " + (in.position() - off) + " are no character",
          at(out.array(), out.position()));
    }
    out.flip();
    return out;
  }

  /** The encoding named by an XML declaration at the start of ASCII-compatible bytes, or UTF-8. */
  private static Charset declaredEncoding(byte[] b, int off, int len) throws XMLStreamException {
    if (!starts(b, off, len, '<', '?', 'x', 'm', 'l')) {
      return StandardCharsets.UTF_8;
    }
    String head = new String(b, off, Math.min(len, MAX_DECLARATION), StandardCharsets.ISO_8859_1);
    int end = head.indexOf("?>");
    if (end < 0) {
      // not a declaration the parser will accept either; let it say what is wrong
      return StandardCharsets.UTF_8;
    }
    String decl = head.substring(0, end);
    int i = decl.indexOf("encoding");
    if (i < 0) {
      return StandardCharsets.UTF_8;
    }
    i += "encoding".length();
    while (i < decl.length() && isSpace(decl.charAt(i))) {
      i++;
    }
    if (i >= decl.length() || decl.charAt(i) != '=') {
      return StandardCharsets.UTF_8;
    }
    i++;
    while (i < decl.length() && isSpace(decl.charAt(i))) {
      i++;
    }
    if (i >= decl.length() || (decl.charAt(i) != '"' && decl.charAt(i) != '\'')) {
      return StandardCharsets.UTF_8;
    }
    int close = decl.indexOf(decl.charAt(i), i + 1);
    if (close < 0) {
      return StandardCharsets.UTF_8;
    }
    String name = decl.substring(i + 1, close);
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new XMLStreamException("unsupported encoding '" + name + "'", at(new char[0], 0));
    }
  }

  /**
   * Refuses an XML 1.1 document: ldmd writes XML 1.0, and XML 1.1 lets character references put
   * control characters in values, which no XML 1.0 document (nor this module's writer) can carry.
   */
  private static void refuseXml11(CharBuffer text) throws XMLStreamException {
    char[] c = text.array();
    int i = text.position();
    int end = text.limit();
    if (!startsWith(c, i, end, "<?xml") || end - i < 6 || !isSpace(c[i + 5])) {
      return;
    }
    int close = Math.min(after(c, i + 5, Math.min(end, i + MAX_DECLARATION), "?>"), end);
    String decl = new String(c, i, close - i);
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
      throw new XMLStreamException("XML 1.1 documents are refused (ldmd writes XML 1.0)",
          at(c, i + v + 1, text.position()));
    }
  }

  /**
   * Refuses a {@code <!DOCTYPE} in the prolog (after the declaration, comments, processing
   * instructions and white space); anything malformed there is left to the parser.
   */
  private static void refuseDoctype(CharBuffer text) throws XMLStreamException {
    char[] c = text.array();
    int i = text.position();
    int end = text.limit();
    while (i < end) {
      if (isSpace(c[i])) {
        i++;
      } else if (startsWith(c, i, end, "<?")) {
        i = after(c, i + 2, end, "?>");
      } else if (startsWith(c, i, end, "<!--")) {
        i = after(c, i + 4, end, "-->");
      } else if (startsWith(c, i, end, "<!DOCTYPE")) {
        throw new XMLStreamException("document type declarations (DTD) are refused",
            at(c, i, text.position()));
      } else {
        return;
      }
    }
  }

  private static int after(char[] c, int from, int end, String close) {
    for (int i = from; i + close.length() <= end; i++) {
      if (startsWith(c, i, end, close)) {
        return i + close.length();
      }
    }
    return end;
  }

  private static boolean startsWith(char[] c, int at, int end, String s) {
    if (end - at < s.length()) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (c[at + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean starts(byte[] b, int off, int len, int... prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if ((b[off + k] & 0xff) != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** The position of the character at {@code n} in {@code c}: line and column from 1. */
  private static Location at(char[] c, int n) {
    return at(c, n, 0);
  }

  private static Location at(char[] c, int n, int from) {
    int line = 1;
    int column = 1;
    for (int i = from; i < n; i++) {
      if (c[i] == '\n') {
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
        return n - from;
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
