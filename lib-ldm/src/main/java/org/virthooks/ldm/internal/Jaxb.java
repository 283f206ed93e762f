package org.virthooks.ldm.internal;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.core.internal.xml.JaxbBinding;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.LdmMessage;

/**
 * The module's binding (lib-core's {@link JaxbBinding}: one context, per-thread unmarshallers),
 * and the writer, which only this module needs.
 */
public final class Jaxb {
  private static final JaxbBinding BINDING = new JaxbBinding(LdmInterface.class, LdmEvent.class);
  private static final JAXBContext CONTEXT = createContext();
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();

  private Jaxb() {}

  // made at class initialisation, as before: the module cannot work without it
  private static JAXBContext createContext() {
    try {
      return BINDING.context();
    } catch (JAXBException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The shared context. */
  public static JAXBContext context() {
    return CONTEXT;
  }

  /**
   * Binds the document the reader stands at (its root start tag); an unmarshaller that failed is
   * dropped.
   */
  public static Object unmarshal(XMLStreamReader reader) throws JAXBException {
    return BINDING.unmarshal(reader);
  }

  /**
   * The message as a bare element with the conventional prefixes, no XML declaration; tab, newline
   * and carriage return as character references, characters XML 1.0 cannot carry as U+FFFD (see
   * {@link XmlSafeWriter}).
   */
  public static String marshal(LdmMessage message) {
    StringBuilder s = new StringBuilder(512);
    try (XmlSafeWriter safe = new XmlSafeWriter(s)) {
      Marshaller m = CONTEXT.createMarshaller();
      m.setProperty(Marshaller.JAXB_FRAGMENT, Boolean.TRUE);
      PrefixingWriter w = new PrefixingWriter(OUTPUT.createXMLStreamWriter(safe));
      m.marshal(message, w);
      w.flush();
    } catch (JAXBException | XMLStreamException e) {
      throw new IllegalStateException("cannot write " + message, e);
    }
    return s.toString();
  }
}
