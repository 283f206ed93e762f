package org.virthooks.benchmarks.ldm;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.ldm.LdmEventTranslator;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.model.LdmMessage;
import org.virthooks.ldm.testing.SeedEvents;

/**
 * Decoding one typical {@code LDM_event} (a resource event with a service section, about 700
 * bytes) on one thread: the hardened JAXB path, the same plus translation to a lib-core event, and
 * a bare StAX pass over the same bytes as the baseline. Targets: 30,000 events/s or more for the
 * JAXB path, and within 3x of the baseline.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LdmDecodeBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class LdmDecodeBenchmark {
  private final LdmXml xml = LdmXml.defaults();
  private final XMLInputFactory stax = XMLInputFactory.newDefaultFactory();
  private LdmEventTranslator translator;
  private byte[] document;

  /** Writes the document once. */
  @Setup
  public void setUp() {
    document = xml.writeBytes(SeedEvents.event("add-vdiskserverdevice", "primary"));
    translator = new LdmEventTranslator(new EventStamper(SourceId.of("ldm", "bench")));
    stax.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    stax.setProperty(XMLInputFactory.SUPPORT_DTD, false);
  }

  /** The hardened JAXB path: framing already done, document to model. */
  @Benchmark
  public LdmMessage jaxbDecode() throws LdmParseException {
    return xml.read(document);
  }

  /** The JAXB path and the translation into a lib-core event. */
  @Benchmark
  public List<VirtEvent> jaxbDecodeAndTranslate() throws LdmParseException {
    return translator.translate(xml.readEvent(document));
  }

  /** The baseline: every StAX event of the same bytes visited, nothing bound. */
  @Benchmark
  public int staxBaseline() throws XMLStreamException {
    XMLStreamReader r = stax.createXMLStreamReader(new ByteArrayInputStream(document));
    int n = 0;
    while (r.hasNext()) {
      int e = r.next();
      if (e == XMLStreamConstants.START_ELEMENT) {
        n += r.getAttributeCount();
      } else if (e == XMLStreamConstants.CHARACTERS) {
        n += r.getTextLength();
      }
    }
    r.close();
    return n;
  }
}
