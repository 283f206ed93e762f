package org.virthooks.ldm.model;

import java.util.List;

/** One document of the ldmd XML interface: an {@link LdmInterface} or an {@link LdmEvent}. */
public sealed interface LdmMessage permits LdmInterface, LdmEvent {
  /** The {@code version} attribute (1.0 to 1.7 seen), or null when the document omits it. */
  String getVersion();

  /** The {@code <cmd>} elements, in document order; never null. */
  List<Cmd> getCommands();

  /** The first command's action, or null when there is no command. */
  default String firstAction() {
    return getCommands().isEmpty() ? null : getCommands().get(0).getAction();
  }
}
