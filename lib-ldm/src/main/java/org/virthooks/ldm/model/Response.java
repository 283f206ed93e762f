package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code <response><status>success|failure</status><resp_msg>...</resp_msg></response>}. */
@XmlType(propOrder = {"status", "messages"})
public final class Response {
  /** The status word of success. */
  public static final String SUCCESS = "success";
  /** The status word of failure. */
  public static final String FAILURE = "failure";

  @XmlElement(name = "status")
  private String status;

  @XmlElement(name = "resp_msg")
  private List<String> messages = new ArrayList<>();

  /** An empty response, for JAXB. */
  public Response() {}

  /** A success without message. */
  public static Response success() {
    Response r = new Response();
    r.status = SUCCESS;
    return r;
  }

  /** A failure with messages. */
  public static Response failure(String... messages) {
    Response r = new Response();
    r.status = FAILURE;
    r.messages.addAll(List.of(messages));
    return r;
  }

  /** The status as written, trimmed, or null. */
  public String getStatus() {
    return status == null ? null : status.trim();
  }

  /** True when the status says success. */
  public boolean isSuccess() {
    return SUCCESS.equalsIgnoreCase(getStatus());
  }

  /** True when the status says failure. */
  public boolean isFailure() {
    return FAILURE.equalsIgnoreCase(getStatus());
  }

  /** The {@code resp_msg} texts; never null. */
  public List<String> getMessages() {
    if (messages == null) {
      messages = new ArrayList<>();
    }
    return messages;
  }

  @Override
  public String toString() {
    return "response[" + status + (getMessages().isEmpty() ? "" : ", " + getMessages()) + "]";
  }
}
