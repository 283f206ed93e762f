package org.virthooks.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virthooks.core.hook.DocumentLimit;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** The hook-document reader's size limit, and the description it keeps out of JAXB. */
class HookXmlTest {
  private static final String LONG = "x".repeat(100_000);

  private static String domain(String descriptionXml) {
    return "<domain type='kvm'>\n  <name>vm1</name>\n" + descriptionXml
        + "\n  <devices><disk type='file' device='disk'><source file='/x'/></disk></devices>\n"
        + "</domain>\n";
  }

  /** The description as a DOM parser reads it: the text of the root's last description child. */
  private static Optional<String> byDom(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Element root = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)))
        .getDocumentElement();
    String text = null;
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals("description")
          && e.getNamespaceURI() == null) {
        text = e.getTextContent();
      }
    }
    return Optional.ofNullable(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<description>web server</description>",
      "<description>" + "x" + "</description>",
      "<description></description>",
      "<description/>",
      "<description>caf\u00e9 \u65e5\u672c \ud83d\ude00</description>",
      "<description>Tom &amp; Jerry&apos;s &quot;box&quot; &lt;3 &#233;&#x1F600;</description>",
      "<description><![CDATA[a <raw> & section]]> and after</description>",
      "<description>line one\r\nline two\rthree</description>",
      "<description>first</description><description>second wins</description>",
      "<x:description xmlns:x='urn:x'>not ours</x:description>",
      "<metadata><description>nested: not the domain's</description></metadata>",
      ""})
  void theDescriptionIsExactlyWhatTheParserReads(String descriptionXml) throws Exception {
    for (String xml : new String[] {domain(descriptionXml),
        domain(descriptionXml.replace("x</description>", LONG + "</description>")
            .replace("web server", "web server " + LONG + " &amp; " + LONG))}) {
      assertThat(HookXml.domain(xml).description()).as(xml.length() > 300 ? "long " + descriptionXml
          : xml).isEqualTo(byDom(xml));
    }
  }

  @Test
  void aLongDescriptionSpanningManyParserChunksIsWhole() throws Exception {
    String text = "0123456789abcdef".repeat(200_000) + "\u00e9";
    assertThat(HookXml.domain(domain("<description>" + text + "</description>")).description())
        .contains(text);
    String escaped = "a&amp;b".repeat(100_000);
    assertThat(HookXml.domain(domain("<description>" + escaped + "</description>")).description())
        .contains("a&b".repeat(100_000));
  }

  @Test
  void theLimitIsDocumentLimitsAndADocumentOverItIsTooLargeNotMalformed() throws Exception {
    assertThat(HookXml.MAX_CHARS).isEqualTo(DocumentLimit.MAX_BYTES);
    // 8 Mi characters and more, within the limit, used to be left unread
    String big = domain("<description>" + "y".repeat(9 << 20) + "</description>");
    assertThat(HookXml.domain(big).description().orElseThrow()).hasSize(9 << 20);

    String over = domain("<description>" + "y".repeat(DocumentLimit.MAX_BYTES) + "</description>");
    assertThatThrownBy(() -> HookXml.domain(over))
        .isInstanceOfSatisfying(HookXml.BadXml.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessage(DocumentLimit.overLimit(-1));
    assertThatThrownBy(() -> HookXml.domain("<domain><name>vm1</nam"))
        .isInstanceOfSatisfying(HookXml.BadXml.class, e -> assertThat(e.tooLarge()).isFalse());
  }

  /** One {@code <backingStore>} per image below the top one, as libvirt writes a disk's chain. */
  private static String chain(int images) {
    StringBuilder s = new StringBuilder("<domain type='kvm'><name>vm1</name><devices>"
        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        + "<source file='/i/0.qcow2' index='" + images + "'/>");
    for (int i = 1; i < images; i++) {
      s.append("<backingStore type='file' index='").append(images - i)
          .append("'><format type='qcow2'/><source file='/i/").append(i).append(".qcow2'/>");
    }
    s.append("<backingStore/>");
    s.append("</backingStore>".repeat(images - 1));
    return s.append("<target dev='vda' bus='virtio'/></disk></devices></domain>").toString();
  }

  @Test
  void theDeepestDomainLibvirtWritesIsReadAndDeeperIsMalformed() throws Exception {
    // libvirt refuses backing chains of more than 200 images
    assertThat(HookXml.domain(chain(200)).disks()).hasSize(1);
    assertThatThrownBy(() -> HookXml.domain(chain(300)))
        .isInstanceOfSatisfying(HookXml.BadXml.class, e -> assertThat(e.tooLarge()).isFalse())
        .hasMessageContaining("nested deeper than 256");
  }

  @Test
  void refusesWhatLibvirtNeverWrites() {
    assertThatThrownBy(() -> HookXml.domain("<?xml version='1.1'?><domain><name>v</name></domain>"))
        .isInstanceOf(HookXml.BadXml.class).hasMessageContaining("XML 1.1");
    assertThatThrownBy(() -> HookXml.domain("<!DOCTYPE domain><domain><name>v</name></domain>"))
        .isInstanceOf(HookXml.BadXml.class).hasMessageContaining("DTD");
    StringBuilder many = new StringBuilder("<domain");
    for (int i = 0; i < 65; i++) {
      many.append(" a").append(i).append("='").append(i).append('\'');
    }
    assertThatThrownBy(() -> HookXml.domain(many + "><name>v</name></domain>"))
        .isInstanceOf(HookXml.BadXml.class).hasMessageContaining("more than 64 attributes");
  }
}
