package org.virthooks.ldm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.ldm.LdmLimits;
import org.virthooks.ldm.LdmParseException;

/**
 * A small XMPP control element ({@code stream:features}, {@code proceed}, {@code auth},
 * {@code success}, {@code failure}) read into a tree of local names, through the same hardened
 * reader as LDM documents.
 *
 * @param name local name
 * @param attributes attributes by local name
 * @param text the text directly inside, trimmed
 * @param children child elements
 */
public record Stanza(String name, Map<String, String> attributes, String text, List<Stanza> children) {
  private static final LdmLimits LIMITS = new LdmLimits(64 * 1024, 16, 16);

  /** Parses a framed element. */
  public static Stanza parse(XmlFramer.Frame frame) throws LdmParseException {
    try {
      XMLStreamReader r = PrefixStrippingReader.open(frame.bytes(), 0, frame.bytes().length,
          LIMITS);
      try {
        while (r.getEventType() != XMLStreamConstants.START_ELEMENT) {
          r.next();
        }
        return read(r);
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      int col = e.getLocation() == null ? -1 : e.getLocation().getColumnNumber();
      throw new LdmParseException("malformed XMPP element: " + e.getMessage(), line, col, e)
          .shiftedBy(frame.line(), frame.column());
    }
  }

  private static Stanza read(XMLStreamReader r) throws XMLStreamException {
    String name = r.getLocalName();
    Map<String, String> attrs = new LinkedHashMap<>();
    for (int i = 0; i < r.getAttributeCount(); i++) {
      attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
    }
    StringBuilder text = new StringBuilder();
    List<Stanza> children = new ArrayList<>();
    while (true) {
      int e = r.next();
      if (e == XMLStreamConstants.START_ELEMENT) {
        children.add(read(r));
      } else if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA) {
        text.append(r.getText());
      } else if (e == XMLStreamConstants.END_ELEMENT) {
        return new Stanza(name, attrs, text.toString().trim(), children);
      }
    }
  }

  /** The first child named {@code local}. */
  public Optional<Stanza> child(String local) {
    return children.stream().filter(c -> c.name.equals(local)).findFirst();
  }

  /** The first descendant named {@code local}, depth first. */
  public Optional<Stanza> find(String local) {
    for (Stanza c : children) {
      if (c.name.equals(local)) {
        return Optional.of(c);
      }
      Optional<Stanza> d = c.find(local);
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }
}
