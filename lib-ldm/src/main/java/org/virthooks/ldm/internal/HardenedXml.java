package org.virthooks.ldm.internal;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.ldm.LdmLimits;

/**
 * The one StAX input factory of this module, configured once against XXE and entity expansion,
 * then shared (the JDK factory is safe to share once configured).
 */
public final class HardenedXml {
  private static final XMLInputFactory INPUT = create();

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
    XMLStreamReader raw = INPUT.createXMLStreamReader(new ByteArrayInputStream(bytes, off, len));
    return new PrefixStrippingReader(raw, limits.maxDepth(), limits.maxAttributes());
  }
}
