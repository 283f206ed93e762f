package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlValue;

/** {@code <gprop:GenericProperty key="...">value</gprop:GenericProperty>}. */
public final class GenericProperty {
  @XmlAttribute(name = "key")
  private String key;

  @XmlValue
  private String value;

  /** An empty property, for JAXB. */
  public GenericProperty() {}

  /** A property. */
  public GenericProperty(String key, String value) {
    this.key = key;
    this.value = value;
  }

  /** The key, or null. */
  public String getKey() {
    return key;
  }

  /** The value as written, or null. */
  public String getValue() {
    return value;
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
