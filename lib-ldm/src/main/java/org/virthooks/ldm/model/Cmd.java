package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code <cmd>}: one action, its options, one or more {@code <data>}, and in a response its status. */
@XmlType(propOrder = {"action", "options", "data", "response"})
public final class Cmd {
  @XmlElement(name = "action")
  private String action;

  @XmlElement(name = "option")
  private List<String> options = new ArrayList<>();

  @XmlElement(name = "data")
  private List<Data> data = new ArrayList<>();

  @XmlElement(name = "response")
  private Response response;

  /** An empty command, for JAXB. */
  public Cmd() {}

  /** A command with one data part. */
  public static Cmd of(String action, Data data) {
    Cmd c = new Cmd();
    c.action = action;
    c.data.add(data);
    return c;
  }

  /** The action, such as {@code reg-domain-events} or {@code add-vdisk}; trimmed, may be null. */
  public String getAction() {
    return action == null ? null : action.trim();
  }

  /** Sets the action; returns this. */
  public Cmd setAction(String action) {
    this.action = action;
    return this;
  }

  /** The {@code <option>} values (flags such as {@code -f}); never null. */
  public List<String> getOptions() {
    if (options == null) {
      options = new ArrayList<>();
    }
    return options;
  }

  /** The {@code <data>} parts; never null. */
  public List<Data> getData() {
    if (data == null) {
      data = new ArrayList<>();
    }
    return data;
  }

  /** The per-command response, or null. */
  public Response getResponse() {
    return response;
  }

  /** Sets the per-command response; returns this. */
  public Cmd setResponse(Response response) {
    this.response = response;
    return this;
  }

  @Override
  public String toString() {
    return "cmd[" + action + ", data=" + getData() + (response == null ? "" : ", " + response) + "]";
  }
}
