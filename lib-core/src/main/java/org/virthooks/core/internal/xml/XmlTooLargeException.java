package org.virthooks.core.internal.xml;

import javax.xml.stream.XMLStreamException;

/**
 * A document over {@link XmlLimits#maxSize()}, refused before any of it was parsed. A type of its
 * own because callers treat it apart from a malformed document: nobody can have looked at it.
 */
public final class XmlTooLargeException extends XMLStreamException {
  private static final long serialVersionUID = 1L;
  private final long size;

  XmlTooLargeException(long size, int limit, String unit) {
    super("document of " + size + " " + unit + " exceeds the limit of " + limit + " " + unit,
        Positions.at("", 0));
    this.size = size;
  }

  /** The document's size, in the unit of the limit. */
  public long size() {
    return size;
  }
}
