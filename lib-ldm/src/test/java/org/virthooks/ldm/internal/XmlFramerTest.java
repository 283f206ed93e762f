package org.virthooks.ldm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virthooks.ldm.LdmParseException;

/** Elements are cut right whatever the read boundaries; hostile framing fails with a position. */
class XmlFramerTest {
  private final List<String> seen = new ArrayList<>();

  private XmlFramer framer(boolean stream, int max) {
    return new XmlFramer(stream, max, 64, new XmlFramer.Handler() {
      @Override
      public void streamOpened(XmlFramer.Frame header) {
        seen.add("OPEN " + new String(header.bytes(), StandardCharsets.UTF_8));
      }

      @Override
      public void element(XmlFramer.Frame element) {
        seen.add(new String(element.bytes(), StandardCharsets.UTF_8));
      }

      @Override
      public void streamClosed() {
        seen.add("CLOSE");
      }
    });
  }

  private static final String STREAM = "<?xml version='1.0'?><stream:stream xml:lang=\"en\" version=\"1.0\" id=\"xmpp\">"
      + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>\n"
      + "<LDM_event version='1.0'><!-- a > comment --><cmd a=\"x>y\" b='/>'><action><![CDATA[<x></x>]]></action>"
      + "</cmd></LDM_event><LDM_interface version='1.0'/>\n</stream:stream>";

  @Test
  void cutsAStreamFedAtOnce() throws Exception {
    XmlFramer f = framer(true, 4096);
    byte[] b = STREAM.getBytes(StandardCharsets.UTF_8);
    f.feed(b, 0, b.length);
    f.finish();
    assertThat(seen).hasSize(5);
    assertThat(seen.get(0)).startsWith("OPEN <stream:stream");
    assertThat(seen.get(1)).startsWith("<stream:features>").endsWith("</stream:features>");
    assertThat(seen.get(2)).startsWith("<LDM_event").endsWith("</LDM_event>");
    assertThat(seen.get(3)).isEqualTo("<LDM_interface version='1.0'/>");
    assertThat(seen.get(4)).isEqualTo("CLOSE");
  }

  @Test
  void cutsTheSameWhateverTheReadSizes() throws Exception {
    XmlFramer whole = framer(true, 4096);
    byte[] b = STREAM.getBytes(StandardCharsets.UTF_8);
    whole.feed(b, 0, b.length);
    List<String> expected = List.copyOf(seen);
    for (int chunk = 1; chunk < 40; chunk++) {
      seen.clear();
      XmlFramer f = framer(true, 4096);
      for (int i = 0; i < b.length; i += chunk) {
        f.feed(b, i, Math.min(chunk, b.length - i));
      }
      assertThat(seen).as("chunk %d", chunk).isEqualTo(expected);
    }
  }

  @Test
  void fileModeTakesSeveralDocumentsWithDeclarations() throws Exception {
    XmlFramer f = framer(false, 4096);
    byte[] b = "<?xml version='1.0'?>\n<a><b/></a>\n<?xml version='1.0'?><c/>  <!-- end -->\n"
        .getBytes(StandardCharsets.UTF_8);
    f.feed(b, 0, b.length);
    f.finish();
    assertThat(seen).containsExactly("<a><b/></a>", "<c/>");
  }

  @Test
  void reportsWhereADocumentStarts() throws Exception {
    List<XmlFramer.Frame> frames = new ArrayList<>();
    XmlFramer f = new XmlFramer(false, 4096, 64, new XmlFramer.Handler() {
      @Override
      public void streamOpened(XmlFramer.Frame header) {}

      @Override
      public void element(XmlFramer.Frame element) {
        frames.add(element);
      }

      @Override
      public void streamClosed() {}
    });
    byte[] b = "<a/>\n\n   <b/>".getBytes(StandardCharsets.UTF_8);
    f.feed(b, 0, b.length);
    assertThat(frames.get(1).line()).isEqualTo(3);
    assertThat(frames.get(1).column()).isEqualTo(4);
    assertThat(frames.get(1).localName()).isEqualTo("b");
  }

  @Test
  void refusesDoctype() {
    XmlFramer f = framer(false, 4096);
    byte[] b = "<!DOCTYPE x [<!ENTITY a 'b'>]><x/>".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> f.feed(b, 0, b.length)).isInstanceOf(LdmParseException.class)
        .hasMessageContaining("refused");
  }

  @Test
  void refusesTextAtTopLevelAndUnbalancedEnds() {
    byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> framer(false, 4096).feed(text, 0, text.length))
        .isInstanceOfSatisfying(LdmParseException.class, e -> assertThat(e.column()).isEqualTo(1));
    byte[] end = "</x>".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> framer(false, 4096).feed(end, 0, end.length))
        .isInstanceOf(LdmParseException.class);
  }

  @Test
  void enforcesSizeAndDepthWithoutBuffering() {
    XmlFramer f = framer(true, 1024);
    byte[] open = "<stream:stream><LDM_event>".getBytes(StandardCharsets.UTF_8);
    byte[] filler = new byte[4096];
    java.util.Arrays.fill(filler, (byte) 'x');
    assertThatThrownBy(() -> {
      f.feed(open, 0, open.length);
      f.feed(filler, 0, filler.length);
    }).isInstanceOf(LdmParseException.class).hasMessageContaining("1024 bytes");
    byte[] deep = "<a>".repeat(100).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> framer(false, 1 << 20).feed(deep, 0, deep.length))
        .isInstanceOf(LdmParseException.class).hasMessageContaining("deeper");
  }

  @Test
  void anUnfinishedDocumentIsAnErrorAtTheEnd() throws Exception {
    XmlFramer f = framer(false, 4096);
    byte[] b = "<a><b>".getBytes(StandardCharsets.UTF_8);
    f.feed(b, 0, b.length);
    assertThat(f.inElement()).isTrue();
    assertThatThrownBy(f::finish).isInstanceOf(LdmParseException.class);
  }

  // Found by LdmStreamFuzzTest; regression seeds under src/test/resources/org/virthooks/ldm/fuzz/.

  /** Errors at a newline and at the end of input said column 0. */
  @Test
  void errorPositionsCountFromOneAtANewlineAndAtTheEnd() throws Exception {
    byte[] nl = "<a>\n<\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> framer(false, 4096).feed(nl, 0, nl.length))
        .isInstanceOfSatisfying(LdmParseException.class, e -> {
          assertThat(e.getMessage()).contains("not followed by a name");
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.column()).isEqualTo(2);
        });
    XmlFramer f = framer(false, 4096);
    byte[] open = "<a>\n  <b>x</b>\n".getBytes(StandardCharsets.UTF_8);
    f.feed(open, 0, open.length);
    assertThatThrownBy(f::finish).isInstanceOfSatisfying(LdmParseException.class, e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isEqualTo(1);
    });
  }

  /** The size limit was only checked when the buffer (1 KiB at first) was full. */
  @Test
  void enforcesASizeLimitSmallerThanTheFirstBuffer() throws Exception {
    String fits = "<a>" + "x".repeat(93) + "</a>";
    assertThat(fits).hasSize(100);
    XmlFramer f = framer(false, 100);
    byte[] b = (fits + "<a>" + "x".repeat(94) + "</a>").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> f.feed(b, 0, b.length)).isInstanceOfSatisfying(LdmParseException.class, e -> {
      assertThat(e.getMessage()).contains("exceeds the limit of 100 bytes");
      assertThat(e.column()).isEqualTo(201);
    });
    assertThat(seen).containsExactly(fits);
  }
}
