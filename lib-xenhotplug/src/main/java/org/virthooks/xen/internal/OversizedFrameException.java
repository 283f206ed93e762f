package org.virthooks.xen.internal;

import java.io.IOException;

/** A message header announced a payload longer than {@code XENSTORE_PAYLOAD_MAX}. */
public final class OversizedFrameException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Names the announced and the allowed length. */
  public OversizedFrameException(long announced, int max) {
    super("xenstore message announces a payload of " + announced + " bytes, more than the "
        + max + " the protocol allows");
  }
}
