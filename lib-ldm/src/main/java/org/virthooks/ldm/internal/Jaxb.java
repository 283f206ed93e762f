package org.virthooks.ldm.internal;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.LdmMessage;

/**
 * The one {@link JAXBContext} of the module (building it costs milliseconds, and it is
 * thread-safe), with per-thread unmarshallers and marshallers (which are not).
 */
public final class Jaxb {
  private static final JAXBContext CONTEXT = createContext();
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();
  // unmarshallers are cheap but not free; one per thread keeps the decode path allocation-light
  private static final ThreadLocal<Unmarshaller> UNMARSHALLER = ThreadLocal.withInitial(() -> {
    try {
      return CONTEXT.createUnmarshaller();
    } catch (JAXBException e) {
      throw new IllegalStateException(e);
    }
  });

  private Jaxb() {}

  private static JAXBContext createContext() {
    try {
      return JAXBContext.newInstance(LdmInterface.class, LdmEvent.class);
    } catch (JAXBException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The shared context. */
  public static JAXBContext context() {
    return CONTEXT;
  }

  /**
   * Binds the document the reader stands at (its root start tag). An unmarshaller that failed is
   * dropped: the GlassFish runtime leaves its state half-way through the failed document, and the
   * next document read with it can fail with a NullPointerException inside the runtime.
   */
  public static Object unmarshal(XMLStreamReader reader) throws JAXBException {
    boolean done = false;
    try {
      Object o = UNMARSHALLER.get().unmarshal(reader);
      done = true;
      return o;
    } finally {
      if (!done) {
        UNMARSHALLER.remove();
      }
    }
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
