package org.virthooks.core.internal.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every reader refuses, and what it still reads. */
class HardenedXmlTest {
  private static final XmlLimits LIMITS = new XmlLimits(1024, 8, 4);
  private static final HardenedXml AWARE = HardenedXml.namespaceAware(LIMITS);
  private static final HardenedXml PREFIXED = HardenedXml.prefixedNames(LIMITS);

  /** Reads the whole document; the text of every element, joined. */
  private static String readAll(XMLStreamReader r) throws XMLStreamException {
    StringBuilder s = new StringBuilder();
    try {
      while (r.hasNext()) {
        int e = r.next();
        if (e == XMLStreamConstants.CHARACTERS) {
          s.append(r.getText());
        }
      }
    } finally {
      r.close();
    }
    return s.toString();
  }

  private static String both(String xml) throws XMLStreamException {
    String text = readAll(AWARE.open(xml));
    assertThat(readAll(PREFIXED.open(xml.getBytes(StandardCharsets.UTF_8), 0,
        xml.getBytes(StandardCharsets.UTF_8).length))).isEqualTo(text);
    return text;
  }

  @Test
  void readsPlainXml10WithPredefinedEntitiesAndCharacterReferences() throws Exception {
    assertThat(both("<?xml version='1.0'?><a x='1'><b>Tom &amp; &#233;</b><!-- c --></a>"))
        .isEqualTo("Tom & \u00e9");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
      "<?xml version='1.0'?>\n<!-- c --><?pi x?>  <!DOCTYPE a SYSTEM 'file:///etc/passwd'><a/>",
      "<!DOCTYPE a [<!ENTITY % p SYSTEM 'http://example.invalid/x'> %p;]><a/>"})
  void refusesAnyDocumentTypeDeclaration(String xml) {
    assertThatThrownBy(() -> both(xml)).isInstanceOf(XMLStreamException.class)
        .hasMessageContaining("DTD").hasMessageContaining("refused");
  }

  @Test
  void anUndeclaredEntityIsAnErrorNotAnExpansion() {
    assertThatThrownBy(() -> both("<a>&e;</a>")).isInstanceOf(XMLStreamException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<?xml version=\"1.1\"?><a>&#x1;</a>",
      "<?xml version = '1.1' encoding='UTF-8'?>\n<a/>"})
  void refusesXml11(String xml) {
    assertThatThrownBy(() -> both(xml)).isInstanceOf(XMLStreamException.class)
        .hasMessageContaining("XML 1.1");
  }

  @Test
  void theSizeLimitCountsBytesOrCharactersAndComesFirst() throws Exception {
    // 507 characters, 1007 bytes
    String fits = "<a>" + "\u00e9".repeat(500) + "</a>";
    assertThat(readAll(AWARE.open(fits))).hasSize(500);
    // 607 characters, 1207 bytes
    String over = "<a>" + "\u00e9".repeat(600) + "</a>";
    assertThat(readAll(AWARE.open(over))).hasSize(600);
    byte[] b = over.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AWARE.open(b, 0, b.length))
        .isInstanceOfSatisfying(XmlTooLargeException.class,
            e -> assertThat(e.size()).isEqualTo(1207))
        .hasMessageContaining("1207 bytes exceeds the limit of 1024 bytes");
    // refused before parsing: malformed, but too large is what it is
    assertThatThrownBy(() -> AWARE.open("<".repeat(1025)))
        .isInstanceOf(XmlTooLargeException.class).hasMessageContaining("characters");
  }

  @Test
  void depthIsLimited() throws Exception {
    assertThat(both("<a>".repeat(8) + "x" + "</a>".repeat(8))).isEqualTo("x");
    assertThatThrownBy(() -> both("<a>".repeat(9) + "</a>".repeat(9)))
        .hasMessageContaining("nested deeper than 8");
  }

  @Test
  void attributesAreLimitedNamespaceDeclarationsIncluded() throws Exception {
    both("<a w='1' x='2' y='3' z='4'/>");
    assertThatThrownBy(() -> both("<a v='0' w='1' x='2' y='3' z='4'/>"))
        .hasMessageContaining("more than 4 attributes");
    assertThatThrownBy(() -> both("<a xmlns:p='urn:p' w='1' x='2' y='3' z='4'/>"))
        .hasMessageContaining("more than 4 attributes");
  }

  @Test
  void nextTagChecksToo() throws Exception {
    XMLStreamReader r = AWARE.open("<a>" + "<b>".repeat(8) + "</b>".repeat(8) + "</a>");
    assertThatThrownBy(() -> {
      while (true) {
        r.nextTag();
      }
    }).hasMessageContaining("nested deeper than 8");
  }

  @Test
  void namespacesAreResolvedOrLeftAsWritten() throws Exception {
    XMLStreamReader aware = AWARE.open("<p:a xmlns:p='urn:p'/>");
    aware.nextTag();
    assertThat(aware.getNamespaceURI()).isEqualTo("urn:p");
    assertThat(aware.getLocalName()).isEqualTo("a");
    XMLStreamReader raw = PREFIXED.open("<q:a/>");
    raw.nextTag();
    assertThat(raw.getLocalName()).isEqualTo("q:a");
    assertThatThrownBy(() -> readAll(AWARE.open("<q:a/>"))).isInstanceOf(XMLStreamException.class);
  }

  @Test
  void malformedBytesAreAnErrorWithAPosition() {
    byte[] b = {'<', 'a', '>', '\n', 'x', (byte) 0xC3, '<', '/', 'a', '>'};
    assertThatThrownBy(() -> PREFIXED.open(b, 0, b.length))
        .isInstanceOfSatisfying(XMLStreamException.class, e -> {
          assertThat(e.getLocation().getLineNumber()).isEqualTo(2);
          assertThat(e.getLocation().getColumnNumber()).isEqualTo(2);
        })
        .hasMessageContaining("malformed UTF-8");
  }

  @Test
  void theJdkParserWhateverTheClassPathOrPropertiesSay() throws Exception {
    String key = "javax.xml.stream.XMLInputFactory";
    String before = System.getProperty(key);
    System.setProperty(key, "no.such.Factory");
    try {
      // a new thread makes its factory now, under the property; newFactory() would fail
      String text = CompletableFuture.supplyAsync(() -> {
        try {
          return readAll(AWARE.open("<a>ok</a>"));
        } catch (XMLStreamException e) {
          throw new IllegalStateException(e);
        }
      }, r -> new Thread(r).start()).get(10, TimeUnit.SECONDS);
      assertThat(text).isEqualTo("ok");
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }
}
