package org.virthooks.ldm.internal;

import javax.xml.namespace.NamespaceContext;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * Presents a non-namespace-aware StAX reader as if every element and attribute had no namespace:
 * {@code rasd:OtherResourceType} reads as {@code OtherResourceType}, {@code ovf:id} as {@code id},
 * {@code xsi:type} as {@code type}, and {@code xmlns} declarations disappear.
 *
 * <p>Why: the ldmd guides use the ovf, rasd, gprop and xsi prefixes without declaring them, or
 * declare them with several different URIs ({@code ./schemas/envelope}, {@code /var/opt/SUNWldom/envelope});
 * a namespace-aware parser rejects the first and a namespace-bound model misses the second. Local
 * names are unambiguous in this vocabulary. It also keeps JAXB from acting on {@code xsi:type}.
 *
 * <p>It also enforces the limits the parser lacks: nesting depth and attributes per element, and
 * refuses DTDs and entity references outright.
 */
final class PrefixStrippingReader extends StreamReaderDelegate {
  private static final NamespaceContext EMPTY = new NamespaceContext() {
    @Override
    public String getNamespaceURI(String prefix) {
      return null;
    }

    @Override
    public String getPrefix(String namespaceUri) {
      return null;
    }

    @Override
    public java.util.Iterator<String> getPrefixes(String namespaceUri) {
      return java.util.Collections.emptyIterator();
    }
  };

  private final int maxDepth;
  private final int maxAttributes;
  private int depth;
  /** Indexes into the parent's attributes of those kept (not xmlns declarations). */
  private int[] kept = new int[8];
  private int keptCount;

  PrefixStrippingReader(XMLStreamReader parent, int maxDepth, int maxAttributes)
      throws XMLStreamException {
    super(parent);
    this.maxDepth = maxDepth;
    this.maxAttributes = maxAttributes;
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
    int e = next();
    while ((e == CHARACTERS && isWhiteSpace()) || (e == CDATA && isWhiteSpace())
        || e == SPACE || e == PROCESSING_INSTRUCTION || e == COMMENT) {
      e = next();
    }
    if (e != START_ELEMENT && e != END_ELEMENT) {
      throw new XMLStreamException("expected a start or end tag", getLocation());
    }
    return e;
  }

  private void check(int event) throws XMLStreamException {
    switch (event) {
      case XMLStreamConstants.START_ELEMENT -> {
        if (++depth > maxDepth) {
          throw new XMLStreamException("elements nested deeper than " + maxDepth, getLocation());
        }
        indexAttributes();
      }
      case XMLStreamConstants.END_ELEMENT -> depth--;
      case XMLStreamConstants.DTD -> throw new XMLStreamException(
          "document type declarations (DTD) are refused", getLocation());
      case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
          throw new XMLStreamException("entity references are refused", getLocation());
      default -> { }
    }
  }

  private void indexAttributes() throws XMLStreamException {
    int n = super.getAttributeCount();
    if (n > maxAttributes) {
      throw new XMLStreamException("more than " + maxAttributes + " attributes on one element",
          getLocation());
    }
    if (kept.length < n) {
      kept = new int[n];
    }
    keptCount = 0;
    for (int i = 0; i < n; i++) {
      String raw = rawAttributeName(i);
      if (!raw.equals("xmlns") && !raw.startsWith("xmlns:")) {
        kept[keptCount++] = i;
      }
    }
  }

  private String rawAttributeName(int i) {
    String local = super.getAttributeLocalName(i);
    String prefix = super.getAttributePrefix(i);
    return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
  }

  static String strip(String name) {
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(colon + 1);
  }

  @Override
  public String getLocalName() {
    return strip(super.getLocalName());
  }

  @Override
  public QName getName() {
    return new QName(getLocalName());
  }

  @Override
  public String getNamespaceURI() {
    return null;
  }

  @Override
  public String getPrefix() {
    return "";
  }

  @Override
  public boolean hasName() {
    return super.hasName();
  }

  @Override
  public int getNamespaceCount() {
    return 0;
  }

  @Override
  public String getNamespacePrefix(int index) {
    throw new IndexOutOfBoundsException("no namespace declarations: " + index);
  }

  @Override
  public String getNamespaceURI(int index) {
    throw new IndexOutOfBoundsException("no namespace declarations: " + index);
  }

  @Override
  public String getNamespaceURI(String prefix) {
    return null;
  }

  @Override
  public NamespaceContext getNamespaceContext() {
    return EMPTY;
  }

  @Override
  public int getAttributeCount() {
    return keptCount;
  }

  @Override
  public QName getAttributeName(int index) {
    return new QName(getAttributeLocalName(index));
  }

  @Override
  public String getAttributeNamespace(int index) {
    return null;
  }

  @Override
  public String getAttributeLocalName(int index) {
    return strip(rawAttributeName(kept[index]));
  }

  @Override
  public String getAttributePrefix(int index) {
    return "";
  }

  @Override
  public String getAttributeType(int index) {
    return super.getAttributeType(kept[index]);
  }

  @Override
  public String getAttributeValue(int index) {
    return super.getAttributeValue(kept[index]);
  }

  @Override
  public boolean isAttributeSpecified(int index) {
    return super.isAttributeSpecified(kept[index]);
  }

  @Override
  public String getAttributeValue(String namespaceUri, String localName) {
    for (int i = 0; i < keptCount; i++) {
      if (getAttributeLocalName(i).equals(localName)) {
        return getAttributeValue(i);
      }
    }
    return null;
  }
}
