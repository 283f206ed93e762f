package org.virthooks.ldm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.virthooks.ldm.LdmParseException;

/** What a connection reads: items in order, and an error only after what came before it. */
class FrameReaderTest {
  /**
   * Found by LdmStreamFuzzTest: an error in a read threw away the items completed earlier in the
   * same read, so an event arriving in one TCP segment with garbage after it was lost.
   */
  @Test
  void itemsCompletedBeforeAnErrorInTheSameReadComeFirst() throws Exception {
    byte[] b = ("<stream:stream version='1.0'><LDM_event version='1.0'><cmd><action>start-domain"
        + "</action></cmd></LDM_event><!DOCTYPE x>").getBytes(StandardCharsets.UTF_8);
    FrameReader r = new FrameReader(new ByteArrayInputStream(b), 4096);
    assertThat(r.next()).isInstanceOf(FrameReader.Opened.class);
    assertThat(r.next()).isInstanceOfSatisfying(FrameReader.Element.class,
        e -> assertThat(e.name()).isEqualTo("LDM_event"));
    assertThatThrownBy(r::next).isInstanceOf(LdmParseException.class).hasMessageContaining("refused");
    assertThatThrownBy(r::next).isInstanceOf(LdmParseException.class);
  }

  @Test
  void theEndOfInputIsAClosedItem() throws Exception {
    byte[] b = "<stream:stream><a/></stream:stream>".getBytes(StandardCharsets.UTF_8);
    FrameReader r = new FrameReader(new ByteArrayInputStream(b), 4096);
    assertThat(r.next()).isInstanceOf(FrameReader.Opened.class);
    assertThat(r.next()).isInstanceOf(FrameReader.Element.class);
    assertThat(r.next()).isInstanceOfSatisfying(FrameReader.Closed.class,
        c -> assertThat(c.why()).contains("peer closed"));
    assertThat(r.next()).isInstanceOfSatisfying(FrameReader.Closed.class,
        c -> assertThat(c.why()).contains("connection was closed"));
  }
}
