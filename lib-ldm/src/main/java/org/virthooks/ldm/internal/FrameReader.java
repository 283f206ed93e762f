package org.virthooks.ldm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import org.virthooks.ldm.LdmParseException;

/**
 * Blocking reader of an XMPP stream: what the {@link XmlFramer} cuts from the socket, one item at
 * a time. Handshakes read it step by step; the connection's reader thread loops on it.
 */
public final class FrameReader {
  /** One thing read from the stream. */
  public sealed interface Item permits Opened, Element, Closed {}

  /** The peer's {@code <stream:stream>} header. */
  public record Opened(XmlFramer.Frame header) implements Item {}

  /** One top-level element: a stanza or an LDM document. */
  public record Element(XmlFramer.Frame frame) implements Item {
    /** The element's local name. */
    public String name() {
      return frame.localName();
    }
  }

  /** The peer ended the stream, or the connection reached its end. */
  public record Closed(String why) implements Item {}

  private final InputStream in;
  private final XmlFramer framer;
  private final ArrayDeque<Item> ready = new ArrayDeque<>();
  private final byte[] buf = new byte[16 * 1024];
  private boolean eof;
  /** The framer's error, held back until the items completed before it have been handed out. */
  private LdmParseException failure;

  /** A reader of {@code in}, documents limited to {@code maxBytes}. */
  public FrameReader(InputStream in, int maxBytes) {
    this.in = in;
    this.framer = new XmlFramer(true, maxBytes, 256, new XmlFramer.Handler() {
      @Override
      public void streamOpened(XmlFramer.Frame header) {
        ready.add(new Opened(header));
      }

      @Override
      public void element(XmlFramer.Frame element) {
        ready.add(new Element(element));
      }

      @Override
      public void streamClosed() {
        ready.add(new Closed("the peer closed the XML stream"));
      }
    });
  }

  /**
   * The next item, reading as much as needed (the socket's timeout applies).
   *
   * @throws LdmParseException when the bytes cannot be an XML stream, once every item completed
   *     before the error has been returned: the connection is unusable
   * @throws IOException when reading fails
   */
  public Item next() throws IOException, LdmParseException {
    while (ready.isEmpty()) {
      if (failure != null) {
        throw failure;
      }
      if (eof) {
        return new Closed("the connection was closed");
      }
      int n = in.read(buf);
      if (n < 0) {
        eof = true;
        continue;
      }
      try {
        framer.feed(buf, 0, n);
      } catch (LdmParseException e) {
        // a read can complete documents and then hit garbage: those documents come first
        failure = e;
      }
    }
    return ready.poll();
  }
}
