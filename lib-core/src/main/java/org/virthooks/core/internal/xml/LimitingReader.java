package org.virthooks.core.internal.xml;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * Enforces what the JDK parser does not: nesting depth and attributes per element, as the parser
 * reaches them; and refuses DTD and entity reference events outright, should one get past the
 * factory's settings and the prolog check.
 */
final class LimitingReader extends StreamReaderDelegate {
  private final int maxDepth;
  private final int maxAttributes;
  private final boolean namespaceAware;
  private int depth;

  LimitingReader(XMLStreamReader parent, XmlLimits limits, boolean namespaceAware)
      throws XMLStreamException {
    super(parent);
    this.maxDepth = limits.maxDepth();
    this.maxAttributes = limits.maxAttributes();
    this.namespaceAware = namespaceAware;
    check(parent.getEventType());
  }

  @Override
  public int next() throws XMLStreamException {
    int e = super.next();
    check(e);
    return e;
  }

  @Override
  public int nextTag() throws XMLStreamException {
    // the parent's nextTag would bypass the checks in next()
    return HardenedXml.nextTag(this);
  }

  private void check(int event) throws XMLStreamException {
    switch (event) {
      case XMLStreamConstants.START_ELEMENT -> {
        if (++depth > maxDepth) {
          throw new XMLStreamException("elements nested deeper than " + maxDepth, getLocation());
        }
        // a namespace-aware parser does not count declarations as attributes; they cost the same
        int n = super.getAttributeCount() + (namespaceAware ? super.getNamespaceCount() : 0);
        if (n > maxAttributes) {
          throw new XMLStreamException("more than " + maxAttributes + " attributes on one element",
              getLocation());
        }
      }
      case XMLStreamConstants.END_ELEMENT -> depth--;
      case XMLStreamConstants.DTD -> throw new XMLStreamException(
          "document type declarations (DTD) are refused", getLocation());
      case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
          throw new XMLStreamException("entity references are refused", getLocation());
      default -> { }
    }
  }
}
