package org.virthooks.ldm;

import jakarta.xml.bind.JAXBException;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.ldm.internal.Jaxb;
import org.virthooks.ldm.internal.PrefixStrippingReader;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.LdmMessage;

/**
 * Reads and writes single documents of the ldmd XML interface. Reading is hardened: DTDs and
 * entity references are refused, size, depth and attribute counts are limited, prefixes need no
 * declaration, and every failure is an {@link LdmParseException} with line and column.
 * Thread-safe; one shared JAXB context behind every instance.
 */
public final class LdmXml {
  private static final LdmXml DEFAULT = new LdmXml(LdmLimits.DEFAULTS);

  private final LdmLimits limits;

  private LdmXml(LdmLimits limits) {
    this.limits = limits;
  }

  /** A codec with {@link LdmLimits#DEFAULTS}. */
  public static LdmXml defaults() {
    return DEFAULT;
  }

  /** A codec with the given limits. */
  public static LdmXml withLimits(LdmLimits limits) {
    return new LdmXml(java.util.Objects.requireNonNull(limits, "limits"));
  }

  /** The limits this codec enforces. */
  public LdmLimits limits() {
    return limits;
  }

  /** Reads one document given as text. */
  public LdmMessage read(String xml) throws LdmParseException {
    return read(xml.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads one document. */
  public LdmMessage read(byte[] bytes) throws LdmParseException {
    return read(bytes, 0, bytes.length);
  }

  /**
   * Reads one {@code LDM_interface} or {@code LDM_event} document from {@code len} bytes at
   * {@code off}; an XML declaration is optional, the encoding UTF-8 unless it declares another.
   *
   * @throws LdmParseException when it is not well-formed, is refused, is over a limit, or its
   *     root is neither element
   */
  public LdmMessage read(byte[] bytes, int off, int len) throws LdmParseException {
    XMLStreamReader r = null;
    try {
      r = PrefixStrippingReader.open(bytes, off, len, limits);
      int e = r.getEventType();
      while (e != XMLStreamConstants.START_ELEMENT) {
        e = r.next();
      }
      String root = r.getLocalName();
      if (!root.equals("LDM_interface") && !root.equals("LDM_event")) {
        Location l = r.getLocation();
        throw new LdmParseException("expected <LDM_interface> or <LDM_event>, found <" + root + ">",
            l.getLineNumber(), l.getColumnNumber());
      }
      Object o = Jaxb.unmarshal(r);
      // anything but whitespace, comments and processing instructions after the root is an error
      while (r.hasNext()) {
        r.next();
      }
      return (LdmMessage) o;
    } catch (XMLStreamException | JAXBException | RuntimeException e) {
      throw toParseException(e, r);
    } finally {
      closeQuietly(r);
    }
  }

  /** Reads a document that must be an {@code LDM_interface}. */
  public LdmInterface readInterface(byte[] bytes) throws LdmParseException {
    LdmMessage m = read(bytes);
    if (m instanceof LdmInterface i) {
      return i;
    }
    throw new LdmParseException("expected <LDM_interface>, found <LDM_event>", 1, 1);
  }

  /** Reads a document that must be an {@code LDM_event}. */
  public LdmEvent readEvent(byte[] bytes) throws LdmParseException {
    LdmMessage m = read(bytes);
    if (m instanceof LdmEvent ev) {
      return ev;
    }
    throw new LdmParseException("expected <LDM_event>, found <LDM_interface>", 1, 1);
  }

  /**
   * The message as a bare element, with the ovf, rasd, gprop and xsi prefixes declared on it. It
   * reads back to the same message: tab, newline and carriage return are written as character
   * references; characters XML 1.0 cannot carry (C0 controls, U+FFFE, U+FFFF, unpaired
   * surrogates, which only a program can put in a message: the reader refuses XML 1.1) as U+FFFD.
   */
  public String write(LdmMessage message) {
    return Jaxb.marshal(message);
  }

  /** {@link #write(LdmMessage)} as UTF-8 bytes. */
  public byte[] writeBytes(LdmMessage message) {
    return write(message).getBytes(StandardCharsets.UTF_8);
  }

  private static LdmParseException toParseException(Exception e, XMLStreamReader r) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LdmParseException p) {
        return p;
      }
      if (t instanceof XMLStreamException x) {
        Location l = x.getLocation();
        if (l == null && r != null) {
          l = r.getLocation();
        }
        return new LdmParseException(plain(x.getMessage()), l == null ? -1 : l.getLineNumber(),
            l == null ? -1 : l.getColumnNumber(), e);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    Location l = r == null ? null : r.getLocation();
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new LdmParseException(plain(msg), l == null ? -1 : l.getLineNumber(),
        l == null ? -1 : l.getColumnNumber(), e);
  }

  /** The JDK parser's message without its "ParseError at [row,col]" preamble. */
  private static String plain(String message) {
    if (message == null) {
      return "malformed XML";
    }
    int m = message.indexOf("Message: ");
    return m >= 0 ? message.substring(m + "Message: ".length()).trim() : message.trim();
  }

  private static void closeQuietly(XMLStreamReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (XMLStreamException ignored) {
        // closing a byte-array reader frees nothing that matters
      }
    }
  }
}
