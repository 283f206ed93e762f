package org.virthooks.ldm.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.model.LdmMessage;

/**
 * Coverage-guided fuzzing of the decoder: arbitrary bytes through {@link LdmXml#read(byte[])},
 * then, for what it accepts, through the translation into lib-core events, the response API and
 * the writer. Invariants: {@link LdmParseException} is the only exception (and hides no runtime
 * exception), translation never throws nor drops an event, a parsed document writes and reads
 * back, and nothing is printed. Seeds: {@code src/test/resources/org/virthooks/ldm/fuzz/LdmDecoderFuzzTestInputs/decode}.
 *
 * <p>{@code mvn verify} fuzzes it for {@code fuzz.seconds} (20 s; the {@code fuzz} execution in
 * this module's pom), {@code lib-ldm/fuzz.sh SECONDS} longer; the 5 minutes below apply when it is
 * fuzzed otherwise (an IDE with {@code JAZZER_FUZZ=1}). Without {@code JAZZER_FUZZ} it runs in
 * regression mode on its seeds, among them one {@code regression-*} input per bug fuzzing found.
 */
class LdmDecoderFuzzTest {
  private static final LdmXml XML = LdmXml.defaults();

  @XmlDictionary
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] input) throws Exception {
    FuzzChecks.quietly(() -> check(input));
  }

  private static void check(byte[] input) {
    LdmMessage m;
    try {
      m = XML.read(input);
    } catch (LdmParseException e) {
      FuzzChecks.checkParseError(e);
      return;
    }
    FuzzChecks.checkMessage(m);
    FuzzChecks.checkRoundTrip(XML, m);
  }
}
