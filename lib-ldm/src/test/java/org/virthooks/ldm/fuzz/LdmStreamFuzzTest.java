package org.virthooks.ldm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.virthooks.ldm.LdmDocuments;
import org.virthooks.ldm.LdmLimits;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.internal.FrameReader;
import org.virthooks.ldm.internal.Stanza;
import org.virthooks.ldm.internal.XmlFramer;
import org.virthooks.ldm.internal.Xmpp;
import org.virthooks.ldm.model.LdmMessage;

/**
 * Coverage-guided fuzzing of the stream readers: arbitrary bytes, cut into reads at points the
 * fuzzer chooses, through {@link LdmDocuments} (files of concatenated documents) or
 * {@link FrameReader} (the XMPP stream of a connection), then every document through the decoder
 * and the translation, every other stanza through {@link Stanza}. Limits are the defaults or small
 * ones the fuzzer picks.
 *
 * <p>Invariants: only {@link LdmParseException} comes out (the input streams never fail, so an
 * {@link IOException} is a bug too); what is read does not depend on where the reads end; every
 * frame is a whole tag within the size limit with a position counted from 1; nothing is printed;
 * and the decoder invariants of {@link FuzzChecks} for every document.
 *
 * <p>Input layout ({@link FuzzedDataProvider}): the choices are taken from the end of the input, the
 * bytes to read are the rest, so a seed that is a plain document works as it is. Seeds, with one
 * {@code regression-*} input per bug fuzzing found:
 * {@code src/test/resources/org/virthooks/ldm/fuzz/LdmStreamFuzzTestInputs/stream}. Run as
 * {@link LdmDecoderFuzzTest} is.
 */
class LdmStreamFuzzTest {
  @XmlDictionary
  @FuzzTest(maxDuration = "5m")
  void stream(FuzzedDataProvider data) throws Exception {
    boolean xmpp = data.consumeBoolean();
    LdmLimits limits = data.consumeBoolean() ? LdmLimits.DEFAULTS
        : new LdmLimits(data.consumeInt(64, 4096), data.consumeInt(4, 16), data.consumeInt(4, 16));
    int[] reads = new int[data.consumeInt(0, 16)];
    for (int i = 0; i < reads.length; i++) {
      reads[i] = data.consumeInt(1, 512);
    }
    byte[] input = data.consumeRemainingAsBytes();
    FuzzChecks.quietly(() -> check(xmpp, LdmXml.withLimits(limits), reads, input));
  }

  private static void check(boolean xmpp, LdmXml xml, int[] reads, byte[] input) throws IOException {
    List<String> whole;
    List<String> cut;
    if (xmpp) {
      whole = readStream(new ByteArrayInputStream(input), xml);
      cut = readStream(new Reads(input, reads), xml);
    } else {
      whole = readFile(new ByteArrayInputStream(input), xml);
      cut = readFile(new Reads(input, reads), xml);
    }
    FuzzChecks.check(whole.equals(cut), "what is read depends on where reads end:\n  in one read: "
        + whole + "\n  in reads of " + java.util.Arrays.toString(reads) + ": " + cut, null);
  }

  /** {@code virthooks ldm decode}'s path: documents and errors, in order. */
  private static List<String> readFile(InputStream in, LdmXml xml) throws IOException {
    List<String> seen = new ArrayList<>();
    int errors = LdmDocuments.readAll(in, xml, new LdmDocuments.Handler() {
      @Override
      public void document(LdmMessage message) {
        FuzzChecks.checkMessage(message);
        seen.add("document " + message);
      }

      @Override
      public void malformed(LdmParseException error) {
        FuzzChecks.checkParseError(error);
        seen.add("malformed " + error.getMessage());
      }
    });
    long reported = seen.stream().filter(s -> s.startsWith("malformed ")).count();
    FuzzChecks.check(errors == reported, errors + " errors counted, " + reported + " reported", null);
    return seen;
  }

  /** A connection's path: frames until the end of input or an error that ends the session. */
  private static List<String> readStream(InputStream in, LdmXml xml) throws IOException {
    int max = xml.limits().maxDocumentBytes();
    FrameReader reader = new FrameReader(in, max);
    List<String> seen = new ArrayList<>();
    for (int n = 0; ; n++) {
      FuzzChecks.check(n <= 1 << 20, "the reader does not reach the end", null);
      FrameReader.Item item;
      try {
        item = reader.next();
      } catch (LdmParseException e) {
        FuzzChecks.checkParseError(e);
        FuzzChecks.check(e.line() >= 1, "a framing error without position", e);
        seen.add("error " + e.getMessage());
        return seen;
      }
      if (item instanceof FrameReader.Opened o) {
        checkFrame(o.header(), max);
        seen.add("opened " + describe(o.header()));
      } else if (item instanceof FrameReader.Element e) {
        checkFrame(e.frame(), max);
        seen.add("element " + describe(e.frame()));
        handle(e, xml);
      } else if (item instanceof FrameReader.Closed c) {
        seen.add("closed " + c.why());
        if (c.why().equals("the connection was closed")) {
          return seen;
        }
      }
    }
  }

  /** What {@code LdmConnection} and the handshake do with an element. */
  private static void handle(FrameReader.Element e, LdmXml xml) {
    String name = e.name();
    FuzzChecks.check(name != null, "element without name", null);
    if (name.equals("LDM_event") || name.equals("LDM_interface")) {
      try {
        LdmMessage m = xml.read(e.frame().bytes());
        FuzzChecks.checkMessage(m);
      } catch (LdmParseException bad) {
        FuzzChecks.checkParseError(bad);
        FuzzChecks.checkParseError(bad.shiftedBy(e.frame().line(), e.frame().column()));
      }
    } else {
      try {
        Stanza s = Stanza.parse(e.frame());
        s.find("starttls");
        s.child("mechanisms");
        Xmpp.failureText(s);
      } catch (LdmParseException bad) {
        FuzzChecks.checkParseError(bad);
      }
    }
  }

  private static void checkFrame(XmlFramer.Frame f, int max) {
    byte[] b = f.bytes();
    FuzzChecks.check(b.length >= 2 && b[0] == '<' && b[b.length - 1] == '>',
        "a frame that is not a tag: " + describe(f), null);
    FuzzChecks.check(b.length <= max, "a frame of " + b.length + " bytes over the limit " + max, null);
    FuzzChecks.check(f.line() >= 1 && f.column() >= 1,
        "frame position not counted from 1: " + f.line() + ":" + f.column(), null);
    f.localName();
  }

  private static String describe(XmlFramer.Frame f) {
    return f.line() + ":" + f.column() + " " + Base64.getEncoder().encodeToString(f.bytes())
        + " (" + new String(f.bytes(), StandardCharsets.UTF_8) + ")";
  }

  /** The input handed out in reads of the chosen sizes, in turn; all at once without sizes. */
  private static final class Reads extends InputStream {
    private final byte[] bytes;
    private final int[] sizes;
    private int pos;
    private int turn;

    Reads(byte[] bytes, int[] sizes) {
      this.bytes = bytes;
      this.sizes = sizes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - pos);
      if (sizes.length > 0) {
        n = Math.min(n, sizes[turn++ % sizes.length]);
      }
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
