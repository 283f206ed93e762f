package org.virthooks.ldm;

import java.util.List;
import org.virthooks.ldm.model.LdmInterface;

/** ldmd answered a request with failure; carries its {@code resp_msg}s and the whole response. */
public final class LdmRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String action;
  private final List<String> messages;
  private final transient LdmInterface response;

  /** A failure of {@code action}. */
  public LdmRequestException(String action, LdmInterface response) {
    super("ldmd refused " + action + ": " + (response.failureMessages().isEmpty()
        ? "failure without message" : String.join("; ", response.failureMessages())));
    this.action = action;
    this.messages = List.copyOf(response.failureMessages());
    this.response = response;
  }

  /** The action that failed. */
  public String action() {
    return action;
  }

  /** ldmd's {@code resp_msg}s, most specific first. */
  public List<String> messages() {
    return messages;
  }

  /** The whole response, or null after deserialization. */
  public LdmInterface response() {
    return response;
  }
}
