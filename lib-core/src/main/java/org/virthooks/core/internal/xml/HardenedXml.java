package org.virthooks.core.internal.xml;

import java.io.CharArrayReader;
import java.io.StringReader;
import java.nio.CharBuffer;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The StAX reader of every XML document virthooks reads (ldmd's, libvirt's hook documents).
 *
 * <ul>
 *   <li>The JDK's own parser, whatever else is on the class path: its behaviour is what the tests
 *       and the fuzzers check, and another one (a Woodstox a user's application brings) has other
 *       defaults and other bugs.
 *   <li>No DTD, no external entities, no entity expansion: a {@code <!DOCTYPE} is refused before
 *       the parser sees it, the factory is configured against the rest, and a DTD or entity
 *       reference event that still came would be refused.
 *   <li>XML 1.1 is refused: nothing we read writes it, and it lets character references put
 *       control characters in values.
 *   <li>{@link XmlLimits}: the size before parsing ({@link XmlTooLargeException}), depth and
 *       attributes per element as the parser reaches them.
 *   <li>Bytes are decoded here, strictly ({@link XmlDecoding}), so that the parser never prints.
 * </ul>
 *
 * <p>Immutable and thread-safe; each reader belongs to its caller's thread.
 */
public final class HardenedXml {
  // per thread: the StAX API promises no thread safety for a factory, and the JDK's is safe only
  // by the way it is written today
  private static final ThreadLocal<XMLInputFactory> NAMESPACE_AWARE =
      ThreadLocal.withInitial(() -> configured(true));
  private static final ThreadLocal<XMLInputFactory> PREFIXED_NAMES =
      ThreadLocal.withInitial(() -> configured(false));

  private final XmlLimits limits;
  private final boolean namespaceAware;

  private HardenedXml(XmlLimits limits, boolean namespaceAware) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.namespaceAware = namespaceAware;
  }

  /** Readers that resolve namespaces, as XML Namespaces says. */
  public static HardenedXml namespaceAware(XmlLimits limits) {
    return new HardenedXml(limits, true);
  }

  /**
   * Readers that do not resolve namespaces: {@code ovf:id} is the name, an undeclared prefix is no
   * error and {@code xmlns} declarations are attributes (ldmd's documents need this).
   */
  public static HardenedXml prefixedNames(XmlLimits limits) {
    return new HardenedXml(limits, false);
  }

  /** The limits every reader enforces. */
  public XmlLimits limits() {
    return limits;
  }

  private static XMLInputFactory configured(boolean namespaceAware) {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, namespaceAware);
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external entities are refused: " + systemId);
    });
    return f;
  }

  /**
   * A reader over {@code len} bytes at {@code off}, in the encoding they declare (UTF-8 by
   * default); {@link XmlLimits#maxSize()} counts bytes.
   *
   * @throws XmlTooLargeException over the size limit, before anything is decoded
   * @throws XMLStreamException when the bytes are no characters or the document is refused
   */
  public XMLStreamReader open(byte[] bytes, int off, int len) throws XMLStreamException {
    Objects.checkFromIndexSize(off, len, bytes.length);
    if (len > limits.maxSize()) {
      throw new XmlTooLargeException(len, limits.maxSize(), "bytes");
    }
    CharBuffer text = XmlDecoding.decode(bytes, off, len);
    XmlProlog.check(text);
    return limited(factory().createXMLStreamReader(
        new CharArrayReader(text.array(), text.position(), text.remaining())));
  }

  /**
   * A reader over a document given as text; {@link XmlLimits#maxSize()} counts characters. The
   * parser reads {@code text} itself, so its character offsets are offsets into it.
   *
   * @throws XmlTooLargeException over the size limit, before anything is parsed
   * @throws XMLStreamException when the document is refused
   */
  public XMLStreamReader open(String text) throws XMLStreamException {
    if (text.length() > limits.maxSize()) {
      throw new XmlTooLargeException(text.length(), limits.maxSize(), "characters");
    }
    XmlProlog.check(text);
    return limited(factory().createXMLStreamReader(new StringReader(text)));
  }

  private XMLInputFactory factory() {
    return (namespaceAware ? NAMESPACE_AWARE : PREFIXED_NAMES).get();
  }

  private XMLStreamReader limited(XMLStreamReader raw) throws XMLStreamException {
    try {
      return new LimitingReader(raw, limits, namespaceAware);
    } catch (XMLStreamException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * {@link XMLStreamReader#nextTag()} through {@code r.next()}, for readers that check every
   * event in {@code next()}: a delegate's inherited {@code nextTag} would skip them.
   */
  public static int nextTag(XMLStreamReader r) throws XMLStreamException {
    int e = r.next();
    while ((e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA)
        && r.isWhiteSpace() || e == XMLStreamConstants.SPACE
        || e == XMLStreamConstants.PROCESSING_INSTRUCTION || e == XMLStreamConstants.COMMENT) {
      e = r.next();
    }
    if (e != XMLStreamConstants.START_ELEMENT && e != XMLStreamConstants.END_ELEMENT) {
      throw new XMLStreamException("expected a start or end tag", r.getLocation());
    }
    return e;
  }
}
