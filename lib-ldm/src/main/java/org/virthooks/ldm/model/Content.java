package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * OVF {@code <Content xsi:type="ovf:VirtualSystem_Type" id="ldg1">}: one domain, named by
 * {@code id} (or {@code ovf:id}), with its resource sections.
 */
@XmlType(propOrder = {"sections"})
public final class Content {
  /** The xsi:type every documented domain content has. */
  public static final String VIRTUAL_SYSTEM_TYPE = "ovf:VirtualSystem_Type";

  @XmlAttribute(name = "id")
  private String id;

  @XmlAttribute(name = "type")
  private String type;

  @XmlElement(name = "Section")
  private List<Section> sections = new ArrayList<>();

  /** An empty content, for JAXB. */
  public Content() {}

  /** A virtual-system content for domain {@code id}, holding {@code sections}. */
  public static Content domain(String id, Section... sections) {
    Content c = new Content();
    c.id = id;
    c.type = VIRTUAL_SYSTEM_TYPE;
    c.sections.addAll(List.of(sections));
    return c;
  }

  /** The domain name ({@code id} or {@code ovf:id}), trimmed, or null. */
  public String getId() {
    return id == null ? null : id.trim();
  }

  /** The xsi:type as written ({@code ovf:VirtualSystem_Type}), or null. */
  public String getType() {
    return type;
  }

  /** The sections; never null. */
  public List<Section> getSections() {
    if (sections == null) {
      sections = new ArrayList<>();
    }
    return sections;
  }

  @Override
  public String toString() {
    return "Content[" + id + ", " + getSections() + "]";
  }
}
