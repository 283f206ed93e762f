package org.virthooks.core.internal.xml;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import javax.xml.stream.XMLStreamException;

/**
 * Decodes a document's bytes before the parser sees them, strictly: the JDK parser prints
 * "[Fatal Error] ..." to {@code System.err} when it meets a malformed byte sequence itself (its
 * StAX error reporter falls back to a printing handler for encoding errors). The encoding is
 * found as XML 1.0 appendix F says: a byte order mark, the first four bytes, else the
 * declaration's {@code encoding}, else UTF-8.
 */
final class XmlDecoding {
  private XmlDecoding() {}

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
          Positions.at(CharBuffer.wrap(out.array(), 0, out.position()), out.position()));
    }
    out.flip();
    return out;
  }

  /** The encoding named by an XML declaration at the start of ASCII-compatible bytes, or UTF-8. */
  private static Charset declaredEncoding(byte[] b, int off, int len) throws XMLStreamException {
    if (!starts(b, off, len, '<', '?', 'x', 'm', 'l')) {
      return StandardCharsets.UTF_8;
    }
    String head = new String(b, off, Math.min(len, XmlProlog.MAX_DECLARATION),
        StandardCharsets.ISO_8859_1);
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
    while (i < decl.length() && XmlProlog.isSpace(decl.charAt(i))) {
      i++;
    }
    if (i >= decl.length() || decl.charAt(i) != '=') {
      return StandardCharsets.UTF_8;
    }
    i++;
    while (i < decl.length() && XmlProlog.isSpace(decl.charAt(i))) {
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
      throw new XMLStreamException("unsupported encoding '" + name + "'", Positions.at("", 0));
    }
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
}
