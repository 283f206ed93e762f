package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OVF {@code <Section xsi:type="ovf:ResourceAllocationSection_type">} holding {@link Item}s; the
 * guides write the type's suffix both {@code _type} and {@code _Type}.
 */
@XmlType(propOrder = {"items"})
public final class Section {
  /** The xsi:type this library writes. */
  public static final String RESOURCE_ALLOCATION_TYPE = "ovf:ResourceAllocationSection_type";

  @XmlAttribute(name = "type")
  private String type;

  @XmlElement(name = "Item")
  private List<Item> items = new ArrayList<>();

  /** An empty section, for JAXB. */
  public Section() {}

  /** A resource-allocation section holding {@code items}. */
  public static Section of(Item... items) {
    Section s = new Section();
    s.type = RESOURCE_ALLOCATION_TYPE;
    s.items.addAll(List.of(items));
    return s;
  }

  /** The xsi:type as written, or null. */
  public String getType() {
    return type;
  }

  /** True for a resource-allocation section, whichever case its {@code _type} suffix has. */
  public boolean isResourceAllocation() {
    return type == null
        || type.toLowerCase(Locale.ROOT).endsWith("resourceallocationsection_type");
  }

  /** The items; never null. */
  public List<Item> getItems() {
    if (items == null) {
      items = new ArrayList<>();
    }
    return items;
  }

  @Override
  public String toString() {
    return "Section" + getItems();
  }
}
