package org.virthooks.ldm.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.internal.Xmpp;
import org.virthooks.ldm.model.Cmd;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.Response;
import org.virthooks.ldm.testing.SeedEvents;

/**
 * Writes the committed seed corpus of lib-ldm's fuzz tests: documents of the reference
 * ({@code ldm-xml-interface.md}) and of {@link SeedEvents}, in Jazzer's layout
 * ({@code <TestClass>Inputs/<method>/}). It lives here, not beside the fuzz tests in lib-ldm,
 * because {@code SeedEvents} is in this module, which depends on lib-ldm; the fuzz tests only read
 * the files it wrote. Not a test; run it after changing the seeds:
 *
 * <pre>
 * mvn -q -pl lib-ldm-testing -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt
 * cd lib-ldm-testing && java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     org.virthooks.ldm.fuzz.SeedCorpus ../lib-ldm/src/test/resources/org/virthooks/ldm/fuzz
 * </pre>
 */
public final class SeedCorpus {
  /** The reference's request, verbatim: undeclared prefixes, no XML declaration. */
  static final String GUIDE_REQUEST = """
      <LDM_interface version="1.0">
        <cmd>
          <action>list-domain</action>
          <data version="3.0">
            <Envelope>
              <References/>
              <Content xsi:type="ovf:VirtualSystem_Type" id="ldg1">
                <Section xsi:type="ovf:ResourceAllocationSection_type">
                  <Item>
                    <rasd:OtherResourceType>ldom_info</rasd:OtherResourceType>
                    <gprop:GenericProperty key="failure-policy">reset</gprop:GenericProperty>
                  </Item>
                </Section>
              </Content>
            </Envelope>
          </data>
        </cmd>
      </LDM_interface>
      """;

  /** The reference's spconfig section in a hardware event, as ldmd 1.x writes it. */
  static final String GUIDE_SPCONFIG_EVENT = """
      <LDM_event version='1.0'><cmd><action>add-spconfig</action><data version="3.0"><Envelope>
        <References/>
        <Section xsi:type="ovf:ResourceAllocationSection_type"><Item>
          <rasd:OtherResourceType>spconfig</rasd:OtherResourceType>
          <gprop:GenericProperty key="spconfig_name">primary</gprop:GenericProperty>
          <gprop:GenericProperty key="spconfig_status">current</gprop:GenericProperty>
        </Item></Section>
      </Envelope></data></cmd></LDM_event>
      """;

  /** Declared prefixes with the schema URIs, ovf:id, {@code _Type}, a later version. */
  static final String DECLARED_VARIANT = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<LDM_event version=\"1.7\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
      + " xmlns:ovf=\"/var/opt/SUNWldom/envelope\""
      + " xmlns:rasd=\"/var/opt/SUNWldom/CIM_ResourceAllocationSettingData\""
      + " xmlns:gprop=\"/var/opt/SUNWldom/GenericProperty\">"
      + "<cmd><action>set-vdisk</action><data version=\"3.0\"><Envelope><References/>"
      + "<Content xsi:type=\"ovf:VirtualSystem_Type\" ovf:id=\"ldg2\">"
      + "<Section xsi:type=\"ovf:ResourceAllocationSection_Type\"><Item>"
      + "<rasd:OtherResourceType>vdisk</rasd:OtherResourceType><rasd:Address>00:14:4f:f8:00:01</rasd:Address>"
      + "<gprop:GenericProperty key=\"vdisk_name\">disk1</gprop:GenericProperty>"
      + "<gprop:GenericProperty key=\"service_name\"><![CDATA[primary-vds0]]></gprop:GenericProperty>"
      + "</Item></Section></Content></Envelope></data></cmd>"
      + "<!-- several commands in one event -->"
      + "<cmd><action>stop-domain</action><data version=\"3.0\"><Envelope><References/>"
      + "<Content xsi:type=\"ovf:VirtualSystem_Type\" id=\"ldg2\"/></Envelope></data></cmd>"
      + "</LDM_event>\n";

  private SeedCorpus() {}

  /** Decoder seeds: file name to bytes. */
  static Map<String, byte[]> decoderSeeds() {
    LdmXml xml = LdmXml.defaults();
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("guide-request.xml", utf8(GUIDE_REQUEST));
    m.put("guide-spconfig-event.xml", utf8(GUIDE_SPCONFIG_EVENT));
    m.put("declared-prefixes-two-commands.xml", utf8(DECLARED_VARIANT));
    m.put("response-three-levels.xml", xml.writeBytes(threeLevelResponse()));
    for (String action : new String[] {"start-domain", "migrate-domain", "set-spconfig",
        "migration-process", "add-vdiskserverdevice", "remove-vswitch", "add-vnet", "set-vcpu"}) {
      m.put("seed-" + action + ".xml", xml.writeBytes(SeedEvents.event(action, "ldg1")));
    }
    m.put("seed-unknown-action.xml", xml.writeBytes(SeedEvents.event("add-vsan", "ldg1")));
    m.put("registration.xml", xml.writeBytes(LdmInterface.request("reg-all-events")));
    return m;
  }

  /** Stream seeds: the input, then the choices {@code LdmStreamFuzzTest} reads from its end. */
  static Map<String, byte[]> streamSeeds() {
    LdmXml xml = LdmXml.defaults();
    String ev1 = xml.write(SeedEvents.event("start-domain", "ldg1"));
    String ev2 = xml.write(SeedEvents.migration("ldg1", "45%", "ongoing", "host-a"));
    String ev3 = xml.write(SeedEvents.spconfig("add-spconfig", "primary", "current"));
    String ok = xml.write(threeLevelResponse());
    Map<String, byte[]> m = new LinkedHashMap<>();
    // a file for `virthooks ldm decode`: declarations, comments, several documents
    String file = "<?xml version=\"1.0\"?>\n" + ev1 + "\n<!-- next -->\n<?xml version='1.0' encoding='UTF-8'?>"
        + GUIDE_SPCONFIG_EVENT + "\n" + ev2 + "\n";
    m.put("file-concatenated.xml", withChoices(file, false, new int[] {17, 1, 200}));
    m.put("file-guide-request.xml", withChoices(GUIDE_REQUEST + DECLARED_VARIANT, false, new int[0]));
    // an XMPP session after the TLS restart, as ldmd writes it
    String session = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams' id='ldmd' version='1.0'>"
        + "<stream:features><starttls xmlns='" + Xmpp.TLS_NS + "'><required/></starttls>"
        + "<mechanisms xmlns='" + Xmpp.SASL_NS + "'><mechanism>PLAIN</mechanism></mechanisms>"
        + "</stream:features>" + Xmpp.PROCEED + "<success xmlns='" + Xmpp.SASL_NS + "'/>"
        + ok + ev1 + "\n" + ev2 + ev3 + "</stream:stream>";
    m.put("xmpp-session.xml", withChoices(session, true, new int[] {64, 3, 500, 1}));
    String failure = Xmpp.CLIENT_HEADER + "<failure xmlns='" + Xmpp.SASL_NS + "'><not-authorized/>"
        + "<text>bad password</text></failure>";
    m.put("xmpp-failure.xml", withChoices(failure, true, new int[] {5}));
    return m;
  }

  /** A response echoing two commands, with a status at the object, command and overall levels. */
  static LdmInterface threeLevelResponse() {
    LdmInterface r = LdmInterface.request("reg-domain-events");
    r.getCommands().get(0).getData().get(0).setResponse(Response.success());
    r.getCommands().get(0).setResponse(Response.success());
    Cmd second = Cmd.of("reg-hardware-events", Data.empty().setResponse(
        Response.failure("not authorized", "solaris.ldoms.read required")));
    second.setResponse(Response.failure("not authorized"));
    r.getCommands().add(second);
    r.setResponse(Response.failure("1 of 2 commands failed"));
    return r;
  }

  /**
   * {@code text} followed by the bytes {@code LdmStreamFuzzTest} consumes from the end: the mode,
   * default limits, the number of read sizes and the sizes (two bytes each, taken big-endian from
   * the end, so written here in reverse).
   */
  static byte[] withChoices(String text, boolean xmpp, int[] reads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(text));
    for (int i = reads.length - 1; i >= 0; i--) {
      int v = reads[i] - 1; // consumeInt(1, 512) adds its minimum
      out.write(v & 0xff);
      out.write(v >>> 8);
    }
    out.write(reads.length);
    out.write(1); // default limits
    out.write(xmpp ? 1 : 0);
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the seeds under {@code args[0]} (the fuzz package's test resources directory). */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    write(root.resolve("LdmDecoderFuzzTestInputs/decode"), decoderSeeds());
    write(root.resolve("LdmStreamFuzzTestInputs/stream"), streamSeeds());
  }

  private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
      System.out.println(dir.resolve(e.getKey()) + " (" + e.getValue().length + " bytes)");
    }
  }
}
