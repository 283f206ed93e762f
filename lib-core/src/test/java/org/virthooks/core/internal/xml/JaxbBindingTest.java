package org.virthooks.core.internal.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlRootElement;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;

class JaxbBindingTest {
  private static final HardenedXml XML = HardenedXml.namespaceAware(new XmlLimits(4096, 8, 8));

  /** A root element. */
  @XmlRootElement(name = "thing")
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class Thing {
    String name;
  }

  @Test
  void bindsWithOneUnmarshallerPerThreadAndDropsOneThatFailed() throws Exception {
    JaxbBinding binding = new JaxbBinding(Thing.class);
    assertThat(binding.threadUnmarshaller()).isNull();
    Thing t = (Thing) binding.unmarshal(XML.open("<thing><name>a</name></thing>"));
    assertThat(t.name).isEqualTo("a");
    Unmarshaller first = binding.threadUnmarshaller();
    assertThat(first).isNotNull();
    binding.unmarshal(XML.open("<thing><name>b</name></thing>"));
    assertThat(binding.threadUnmarshaller()).isSameAs(first);

    assertThatThrownBy(() -> binding.unmarshal(XML.open("<thing><name>b</nam></thing>")))
        .isInstanceOfAny(JAXBException.class, XMLStreamException.class);
    assertThat(binding.threadUnmarshaller()).isNull();
    assertThat(((Thing) binding.unmarshal(XML.open("<thing><name>c</name></thing>"))).name)
        .isEqualTo("c");
    assertThat(binding.threadUnmarshaller()).isNotNull().isNotSameAs(first);
    assertThat(binding.context()).isSameAs(binding.context());
  }
}
