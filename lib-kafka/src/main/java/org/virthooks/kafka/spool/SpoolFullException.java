package org.virthooks.kafka.spool;

import java.io.IOException;

/** An append that found no room in the spool within its bound; the record is not kept. */
public final class SpoolFullException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a message that says how full and for how long. */
  public SpoolFullException(String message) {
    super(message);
  }
}
