package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OVF {@code <Envelope>}: {@code <References/>}, a {@link Content} per domain, and
 * {@link Section}s for resources that belong to no domain (spconfig).
 */
@XmlType(propOrder = {"references", "contents", "sections"})
public final class Envelope {
  @XmlElement(name = "References")
  private References references;

  @XmlElement(name = "Content")
  private List<Content> contents = new ArrayList<>();

  @XmlElement(name = "Section")
  private List<Section> sections = new ArrayList<>();

  /** An empty envelope, for JAXB. */
  public Envelope() {}

  /** An envelope with empty references and the given domain contents. */
  public static Envelope of(Content... contents) {
    Envelope e = new Envelope();
    e.references = new References();
    e.contents.addAll(List.of(contents));
    return e;
  }

  /** An envelope with empty references and the given top-level sections. */
  public static Envelope of(Section... sections) {
    Envelope e = new Envelope();
    e.references = new References();
    e.sections.addAll(List.of(sections));
    return e;
  }

  /** The references element, or null. */
  public References getReferences() {
    return references;
  }

  /** The domain contents; never null. */
  public List<Content> getContents() {
    if (contents == null) {
      contents = new ArrayList<>();
    }
    return contents;
  }

  /** The sections directly under the envelope; never null. */
  public List<Section> getSections() {
    if (sections == null) {
      sections = new ArrayList<>();
    }
    return sections;
  }

  /** The first content that names a domain. */
  public Optional<Content> firstDomain() {
    return getContents().stream().filter(c -> c.getId() != null && !c.getId().isBlank()).findFirst();
  }

  /** Every item of every section, top-level sections first, then each content's. */
  public List<Item> allItems() {
    List<Item> out = new ArrayList<>();
    for (Section s : getSections()) {
      out.addAll(s.getItems());
    }
    for (Content c : getContents()) {
      for (Section s : c.getSections()) {
        out.addAll(s.getItems());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Envelope[contents=" + getContents() + ", sections=" + getSections() + "]";
  }
}
