package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <LDM_interface>}: a request, or its response, which echoes the request and adds a
 * {@link Response} at three levels: per object ({@link Data#getResponse()}), per command
 * ({@link Cmd#getResponse()}) and overall ({@link #getResponse()}).
 */
@XmlRootElement(name = "LDM_interface")
@XmlType(propOrder = {"commands", "response"})
public final class LdmInterface implements LdmMessage {
  /** The version this library writes when none is given. */
  public static final String DEFAULT_VERSION = "1.0";

  @XmlAttribute(name = "version")
  private String version;

  @XmlElement(name = "cmd")
  private List<Cmd> commands = new ArrayList<>();

  @XmlElement(name = "response")
  private Response response;

  /** An empty document, for JAXB and builders. */
  public LdmInterface() {}

  /** A request of one command with one empty {@code <data version="3.0"/>} (registrations). */
  public static LdmInterface request(String action) {
    LdmInterface r = new LdmInterface();
    r.version = DEFAULT_VERSION;
    r.commands.add(Cmd.of(action, Data.empty()));
    return r;
  }

  /** A request of one command carrying {@code data}. */
  public static LdmInterface request(String action, Data data) {
    LdmInterface r = new LdmInterface();
    r.version = DEFAULT_VERSION;
    r.commands.add(Cmd.of(action, data));
    return r;
  }

  @Override
  public String getVersion() {
    return version;
  }

  /** Sets the version attribute; returns this. */
  public LdmInterface setVersion(String version) {
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

  /** The overall response, or null in a request. */
  public Response getResponse() {
    return response;
  }

  /** Sets the overall response; returns this. */
  public LdmInterface setResponse(Response response) {
    this.response = response;
    return this;
  }

  /** True when the document carries a response at any level. */
  public boolean isResponse() {
    if (response != null) {
      return true;
    }
    for (Cmd c : getCommands()) {
      if (c.getResponse() != null) {
        return true;
      }
      for (Data d : c.getData()) {
        if (d.getResponse() != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when no level says failure: the overall status, every command's and every object's.
   * A response with no status anywhere counts as success.
   */
  public boolean isSuccess() {
    return !anyFailure();
  }

  private boolean anyFailure() {
    if (response != null && response.isFailure()) {
      return true;
    }
    for (Cmd c : getCommands()) {
      if (c.getResponse() != null && c.getResponse().isFailure()) {
        return true;
      }
      for (Data d : c.getData()) {
        if (d.getResponse() != null && d.getResponse().isFailure()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The {@code resp_msg}s of every level that says failure, most specific first (objects, then
   * commands, then overall), without duplicates; empty when nothing failed or no message was given.
   */
  public List<String> failureMessages() {
    List<String> out = new ArrayList<>();
    for (Cmd c : getCommands()) {
      for (Data d : c.getData()) {
        addFailure(out, d.getResponse());
      }
      addFailure(out, c.getResponse());
    }
    addFailure(out, response);
    return out;
  }

  private static void addFailure(List<String> out, Response r) {
    if (r != null && r.isFailure()) {
      for (String m : r.getMessages()) {
        if (m != null && !m.isBlank() && !out.contains(m.trim())) {
          out.add(m.trim());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "LDM_interface[version=" + version + ", commands=" + getCommands() + ", response="
        + response + "]";
  }
}
