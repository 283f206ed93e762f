package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** {@code <LDM_event>}: ldmd tells registered clients that a command ran; no response part. */
@XmlRootElement(name = "LDM_event")
public final class LdmEvent implements LdmMessage {
  /** The version ldmd 1.x writes. */
  public static final String DEFAULT_VERSION = "1.0";

  @XmlAttribute(name = "version")
  private String version;

  @XmlElement(name = "cmd")
  private List<Cmd> commands = new ArrayList<>();

  /** An empty event, for JAXB and builders. */
  public LdmEvent() {}

  /** An event of one command. */
  public static LdmEvent of(String action, Data data) {
    LdmEvent e = new LdmEvent();
    e.version = DEFAULT_VERSION;
    e.commands.add(Cmd.of(action, data));
    return e;
  }

  @Override
  public String getVersion() {
    return version;
  }

  /** Sets the version attribute; returns this. */
  public LdmEvent setVersion(String version) {
    this.version = version;
    return this;
  }

  @Override
  public List<Cmd> getCommands() {
    if (commands == null) {
      commands = new ArrayList<>();
    }
    return commands;
  }

  @Override
  public String toString() {
    return "LDM_event[version=" + version + ", commands=" + getCommands() + "]";
  }
}
