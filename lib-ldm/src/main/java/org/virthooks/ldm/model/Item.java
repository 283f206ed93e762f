package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OVF {@code <Item>}: {@code rasd:OtherResourceType} names the resource ({@code ldom_info},
 * {@code spconfig}, {@code vdisk}...), {@code gprop:GenericProperty} elements carry its settings.
 */
@XmlType(propOrder = {"otherResourceType", "address", "properties"})
public final class Item {
  @XmlElement(name = "OtherResourceType")
  private String otherResourceType;

  @XmlElement(name = "Address")
  private String address;

  @XmlElement(name = "GenericProperty")
  private List<GenericProperty> properties = new ArrayList<>();

  /** An empty item, for JAXB. */
  public Item() {}

  /** An item of {@code resourceType} with properties given as key, value, key, value... */
  public static Item of(String resourceType, String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("properties come in key, value pairs");
    }
    Item i = new Item();
    i.otherResourceType = resourceType;
    for (int k = 0; k < keyValues.length; k += 2) {
      i.properties.add(new GenericProperty(keyValues[k], keyValues[k + 1]));
    }
    return i;
  }

  /** The resource type ({@code rasd:OtherResourceType}), trimmed, or null. */
  public String getOtherResourceType() {
    return otherResourceType == null ? null : otherResourceType.trim();
  }

  /** The {@code rasd:Address} (a MAC address in later releases), or null. */
  public String getAddress() {
    return address;
  }

  /** The generic properties in document order; never null. */
  public List<GenericProperty> getProperties() {
    if (properties == null) {
      properties = new ArrayList<>();
    }
    return properties;
  }

  /** The first value of property {@code key}, trimmed. */
  public Optional<String> property(String key) {
    for (GenericProperty p : getProperties()) {
      if (key.equals(p.getKey()) && p.getValue() != null) {
        return Optional.of(p.getValue().trim());
      }
    }
    return Optional.empty();
  }

  /** The properties as a map in document order, first value of each key. */
  public Map<String, String> propertyMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (GenericProperty p : getProperties()) {
      if (p.getKey() != null && p.getValue() != null) {
        m.putIfAbsent(p.getKey(), p.getValue().trim());
      }
    }
    return m;
  }

  /** True when the resource type is {@code type}, ignoring case. */
  public boolean is(String type) {
    return otherResourceType != null && otherResourceType.trim().equalsIgnoreCase(type);
  }

  @Override
  public String toString() {
    return "Item[" + otherResourceType + ", " + propertyMap() + "]";
  }
}
