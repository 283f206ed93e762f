package org.virthooks.core.internal.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import java.util.List;
import javax.xml.stream.XMLStreamReader;

/**
 * One JAXB context for a set of classes, made on first use, and an unmarshaller per thread.
 *
 * <p>The context is made lazily because it costs from milliseconds to a few hundred, which a
 * process that never binds a document (a daemon's fast path) should not pay; it is thread-safe
 * and shared. Unmarshallers are not thread-safe, and cheap but not free, hence one per thread.
 * An unmarshaller that failed is dropped: the GlassFish runtime leaves its state half-way through
 * the failed document, and the next document read with it can fail with a NullPointerException
 * inside the runtime.
 */
public final class JaxbBinding {
  private final List<Class<?>> classes;
  private final ThreadLocal<Unmarshaller> unmarshaller = new ThreadLocal<>();
  private volatile JAXBContext context;

  /** A binding of {@code classes} (their context is made on first use). */
  public JaxbBinding(Class<?>... classes) {
    this.classes = List.of(classes);
  }

  /** The shared context, made now if it was not yet. */
  public JAXBContext context() throws JAXBException {
    JAXBContext c = context;
    if (c == null) {
      synchronized (this) {
        c = context;
        if (c == null) {
          c = JAXBContext.newInstance(classes.toArray(new Class<?>[0]));
          context = c;
        }
      }
    }
    return c;
  }

  /**
   * Binds the element the reader stands at (or the document's root, at its start) with this
   * thread's unmarshaller; one that fails in any way is not used again.
   */
  public Object unmarshal(XMLStreamReader reader) throws JAXBException {
    boolean done = false;
    try {
      Unmarshaller u = unmarshaller.get();
      if (u == null) {
        u = context().createUnmarshaller();
        unmarshaller.set(u);
      }
      Object o = u.unmarshal(reader);
      done = true;
      return o;
    } finally {
      if (!done) {
        unmarshaller.remove();
      }
    }
  }

  /** This thread's unmarshaller, null when it has none (for tests). */
  Unmarshaller threadUnmarshaller() {
    return unmarshaller.get();
  }
}
