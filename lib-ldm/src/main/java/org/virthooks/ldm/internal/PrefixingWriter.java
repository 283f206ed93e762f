package org.virthooks.ldm.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.namespace.NamespaceContext;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the prefix-free JAXB model the way ldmd writes documents: {@code rasd:OtherResourceType},
 * {@code rasd:Address}, {@code gprop:GenericProperty}, {@code xsi:type} on Content and Section,
 * with the prefixes declared once on the root element. JAXB's own namespace declarations are
 * dropped: the model has none.
 */
final class PrefixingWriter implements XMLStreamWriter {
  static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  static final String OVF = "/var/opt/SUNWldom/envelope";
  static final String RASD = "/var/opt/SUNWldom/CIM_ResourceAllocationSettingData";
  static final String VSSD = "/var/opt/SUNWldom/CIM_VirtualSystemSettingData";
  static final String GPROP = "/var/opt/SUNWldom/GenericProperty";
  static final String BIND = "/var/opt/SUNWldom/Binding";

  private final XMLStreamWriter out;
  private final Deque<String> open = new ArrayDeque<>();

  PrefixingWriter(XMLStreamWriter out) {
    this.out = out;
  }

  private static String qualified(String local) {
    return switch (local) {
      case "OtherResourceType", "Address" -> "rasd:" + local;
      case "GenericProperty" -> "gprop:" + local;
      default -> local;
    };
  }

  private void start(String local) throws XMLStreamException {
    out.writeStartElement(qualified(local));
    boolean root = open.isEmpty();
    open.push(local);
    if (root) {
      out.writeAttribute("xmlns:xsi", XSI);
      out.writeAttribute("xmlns:ovf", OVF);
      out.writeAttribute("xmlns:rasd", RASD);
      out.writeAttribute("xmlns:vssd", VSSD);
      out.writeAttribute("xmlns:gprop", GPROP);
      out.writeAttribute("xmlns:bind", BIND);
    }
  }

  private void attribute(String local, String value) throws XMLStreamException {
    String element = open.peek();
    if (local.equals("type") && ("Content".equals(element) || "Section".equals(element))) {
      out.writeAttribute("xsi:type", value);
    } else {
      out.writeAttribute(local, value);
    }
  }

  @Override
  public void writeStartElement(String localName) throws XMLStreamException {
    start(localName);
  }

  @Override
  public void writeStartElement(String namespaceUri, String localName) throws XMLStreamException {
    start(localName);
  }

  @Override
  public void writeStartElement(String prefix, String localName, String namespaceUri)
      throws XMLStreamException {
    start(localName);
  }

  @Override
  public void writeEmptyElement(String namespaceUri, String localName) throws XMLStreamException {
    out.writeEmptyElement(qualified(localName));
  }

  @Override
  public void writeEmptyElement(String prefix, String localName, String namespaceUri)
      throws XMLStreamException {
    out.writeEmptyElement(qualified(localName));
  }

  @Override
  public void writeEmptyElement(String localName) throws XMLStreamException {
    out.writeEmptyElement(qualified(localName));
  }

  @Override
  public void writeEndElement() throws XMLStreamException {
    open.pop();
    out.writeEndElement();
  }

  @Override
  public void writeEndDocument() throws XMLStreamException {
    out.writeEndDocument();
  }

  @Override
  public void close() throws XMLStreamException {
    out.close();
  }

  @Override
  public void flush() throws XMLStreamException {
    out.flush();
  }

  @Override
  public void writeAttribute(String localName, String value) throws XMLStreamException {
    attribute(localName, value);
  }

  @Override
  public void writeAttribute(String prefix, String namespaceUri, String localName, String value)
      throws XMLStreamException {
    attribute(localName, value);
  }

  @Override
  public void writeAttribute(String namespaceUri, String localName, String value)
      throws XMLStreamException {
    attribute(localName, value);
  }

  @Override
  public void writeNamespace(String prefix, String namespaceUri) {
    // the model is namespace-free; the root declares the conventional prefixes itself
  }

  @Override
  public void writeDefaultNamespace(String namespaceUri) {
    // see writeNamespace
  }

  @Override
  public void writeComment(String data) throws XMLStreamException {
    out.writeComment(data);
  }

  @Override
  public void writeProcessingInstruction(String target) throws XMLStreamException {
    out.writeProcessingInstruction(target);
  }

  @Override
  public void writeProcessingInstruction(String target, String data) throws XMLStreamException {
    out.writeProcessingInstruction(target, data);
  }

  @Override
  public void writeCData(String data) throws XMLStreamException {
    out.writeCData(data);
  }

  @Override
  public void writeDTD(String dtd) throws XMLStreamException {
    throw new XMLStreamException("this writer writes no DTD");
  }

  @Override
  public void writeEntityRef(String name) throws XMLStreamException {
    throw new XMLStreamException("this writer writes no entity references");
  }

  @Override
  public void writeStartDocument() {
    // documents go bare on the XMPP stream: no declaration
  }

  @Override
  public void writeStartDocument(String version) {
    // see writeStartDocument()
  }

  @Override
  public void writeStartDocument(String encoding, String version) {
    // see writeStartDocument()
  }

  @Override
  public void writeCharacters(String text) throws XMLStreamException {
    out.writeCharacters(text);
  }

  @Override
  public void writeCharacters(char[] text, int start, int len) throws XMLStreamException {
    out.writeCharacters(text, start, len);
  }

  @Override
  public String getPrefix(String uri) throws XMLStreamException {
    return out.getPrefix(uri);
  }

  @Override
  public void setPrefix(String prefix, String uri) throws XMLStreamException {
    out.setPrefix(prefix, uri);
  }

  @Override
  public void setDefaultNamespace(String uri) throws XMLStreamException {
    out.setDefaultNamespace(uri);
  }

  @Override
  public void setNamespaceContext(NamespaceContext context) throws XMLStreamException {
    out.setNamespaceContext(context);
  }

  @Override
  public NamespaceContext getNamespaceContext() {
    return out.getNamespaceContext();
  }

  @Override
  public Object getProperty(String name) {
    return out.getProperty(name);
  }
}
