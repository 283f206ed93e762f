package org.virthooks.ldm;

import java.io.IOException;
import java.io.InputStream;
import org.virthooks.ldm.internal.XmlFramer;
import org.virthooks.ldm.model.LdmMessage;

/**
 * Reads a file or pipe holding LDM documents one after another (each may have its own XML
 * declaration). A malformed document is reported with its line and column in the whole input and
 * the next one is read; input that cannot be cut into documents at all (text between documents,
 * a DTD, an unbalanced end tag, an unfinished document) ends the reading after being reported.
 */
public final class LdmDocuments {
  /** Receives what is read. */
  public interface Handler {
    /** One well-formed document. */
    void document(LdmMessage message);

    /** One malformed document, or the error that ended the reading; positions in the whole input. */
    void malformed(LdmParseException error);
  }

  private LdmDocuments() {}

  /**
   * Reads {@code in} to its end (or to an unrecoverable error), calling {@code handler} in order.
   *
   * @return how many errors were reported
   * @throws IOException when reading {@code in} fails
   */
  public static int readAll(InputStream in, LdmXml xml, Handler handler) throws IOException {
    int[] errors = {0};
    XmlFramer framer = new XmlFramer(false, xml.limits().maxDocumentBytes(), xml.limits().maxDepth(),
        new XmlFramer.Handler() {
          @Override
          public void streamOpened(XmlFramer.Frame header) {
            // file mode has no stream header
          }

          @Override
          public void element(XmlFramer.Frame f) {
            LdmMessage m;
            try {
              m = xml.read(f.bytes());
            } catch (LdmParseException e) {
              errors[0]++;
              handler.malformed(e.shiftedBy(f.line(), f.column()));
              return;
            }
            handler.document(m);
          }

          @Override
          public void streamClosed() {
            // file mode has no stream end
          }
        });
    byte[] buf = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        framer.feed(buf, 0, n);
      }
      framer.finish();
    } catch (LdmParseException e) {
      errors[0]++;
      handler.malformed(e);
    }
    return errors[0];
  }
}
