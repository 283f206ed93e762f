package org.virthooks.ldm.internal;

import javax.xml.namespace.NamespaceContext;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.virthooks.core.internal.xml.HardenedXml;
import org.virthooks.core.internal.xml.XmlLimits;
import org.virthooks.ldm.LdmLimits;

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
 * <p>Hardening (no DTD, no entities, XML 1.0 only, size, depth and attribute limits) is lib-core's
 * {@link HardenedXml}, which this reader sits on.
 */
public final class PrefixStrippingReader extends StreamReaderDelegate {
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

  /** Indexes into the parent's attributes of those kept (not xmlns declarations). */
  private int[] kept = new int[8];
  private int keptCount;

  private PrefixStrippingReader(XMLStreamReader parent) {
    super(parent);
    if (parent.getEventType() == XMLStreamConstants.START_ELEMENT) {
      indexAttributes();
    }
  }

  /**
   * A hardened reader over {@code len} bytes at {@code off}, namespaces not resolved and prefixes
   * stripped, {@code limits} enforced.
   */
  public static XMLStreamReader open(byte[] bytes, int off, int len, LdmLimits limits)
      throws XMLStreamException {
    XmlLimits x = new XmlLimits(limits.maxDocumentBytes(), limits.maxDepth(),
        limits.maxAttributes());
    return new PrefixStrippingReader(HardenedXml.prefixedNames(x).open(bytes, off, len));
  }

  @Override
  public int next() throws XMLStreamException {
    int e = super.next();
    if (e == XMLStreamConstants.START_ELEMENT) {
      indexAttributes();
    }
    return e;
  }

  @Override
  public int nextTag() throws XMLStreamException {
    // the parent's nextTag would bypass next(), which indexes the attributes
    return HardenedXml.nextTag(this);
  }

  private void indexAttributes() {
    int n = super.getAttributeCount();
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
