package org.virthooks.libvirt.internal;

import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * Takes the text of {@code /domain/description} out of what JAXB sees, and keeps it itself.
 *
 * <p>Why: the description is the one free-form text of a domain XML, as long as its author likes
 * (nearly a whole document within the size limit), and JAXB gathers an element's text in a
 * {@code StringBuilder} that doubles as it grows, then copies it: up to four times the text at
 * once, on top of the document. Here the parser's chunks of text are checked against the
 * document as they come: while they match it, the text is the document's own characters (no
 * entity, no CDATA, no line end to normalise: libvirt's usual output) and becomes one copy of
 * that stretch of it at the end. From the first chunk that does not match, the chunks are kept
 * and joined once at their exact size. The result is exactly the parser's text either way.
 */
final class DescriptionCapture extends StreamReaderDelegate {
  private final String document;
  private int depth;
  private boolean rootIsDomain;
  private boolean inDescription;
  private boolean seen;
  // the text so far is document[start, end) followed by the chunks in rest
  private int start;
  private int end;
  private List<String> rest;

  DescriptionCapture(XMLStreamReader reader, String document) {
    super(reader);
    this.document = document;
  }

  @Override
  public int next() throws XMLStreamException {
    int event = super.next();
    while (true) {
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          depth++;
          if (depth == 1) {
            rootIsDomain = "domain".equals(getLocalName());
          } else if (depth == 2 && rootIsDomain && "description".equals(getLocalName())
              && noNamespace()) {
            begin();
          }
          return event;
        }
        case XMLStreamConstants.END_ELEMENT -> {
          if (depth == 2) {
            inDescription = false;
          }
          depth--;
          return event;
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> {
          if (!inDescription || depth != 2) {
            return event;
          }
          add(getText());
          event = super.next();
        }
        default -> {
          return event;
        }
      }
    }
  }

  // the last description counts, as it would for JAXB
  private void begin() {
    inDescription = true;
    seen = true;
    rest = null;
    // where the parser is: just after the start tag, if it says so; a wrong guess only means
    // that the first chunk does not match
    int at = getLocation() == null ? -1 : getLocation().getCharacterOffset();
    start = at >= 0 && at <= document.length() ? at : document.length();
    end = start;
  }

  private void add(String chunk) {
    if (rest == null && document.regionMatches(end, chunk, 0, chunk.length())) {
      end += chunk.length();
      return;
    }
    if (rest == null) {
      rest = new ArrayList<>();
    }
    rest.add(chunk);
  }

  private boolean noNamespace() {
    String ns = getNamespaceURI();
    return ns == null || ns.isEmpty();
  }

  /** The description's text, copied once; null when the document has none. */
  String text() {
    if (!seen) {
      return null;
    }
    String head = document.substring(start, end);
    if (rest == null) {
      return head;
    }
    rest.add(0, head);
    String text = String.join("", rest);
    rest = null;
    return text;
  }
}
