package org.virthooks.ldm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virthooks.ldm.model.LdmMessage;
import org.virthooks.ldm.testing.SeedEvents;

/** Concatenated documents: bad ones reported at their place in the input, the rest still read. */
class LdmDocumentsTest {
  private final List<LdmMessage> docs = new ArrayList<>();
  private final List<LdmParseException> errors = new ArrayList<>();

  private int read(String input) throws Exception {
    return LdmDocuments.readAll(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        LdmXml.defaults(), new LdmDocuments.Handler() {
          @Override
          public void document(LdmMessage message) {
            docs.add(message);
          }

          @Override
          public void malformed(LdmParseException error) {
            errors.add(error);
          }
        });
  }

  @Test
  void badDocumentsInTheMiddleAreSkipped() throws Exception {
    String good = LdmXml.defaults().write(SeedEvents.event("stop-domain", "a"));
    int n = read(good + "\n<?xml version='1.0'?>\n  <LDM_event version='1.0'><cmd x='1' x='2'/></LDM_event>\n" + good);
    assertThat(n).isEqualTo(1);
    assertThat(docs).hasSize(2);
    assertThat(errors.get(0).line()).isEqualTo(3);
    assertThat(errors.get(0).column()).isGreaterThan(3);
  }

  @Test
  void unframeableInputEndsTheReadingAfterWhatCameBefore() throws Exception {
    String good = LdmXml.defaults().write(SeedEvents.event("stop-domain", "a"));
    int n = read(good + "\nstray text <LDM_event/>");
    assertThat(n).isEqualTo(1);
    assertThat(docs).hasSize(1);
    assertThat(errors.get(0).line()).isEqualTo(2);
    assertThat(errors.get(0).getMessage()).contains("text outside");
  }
}
