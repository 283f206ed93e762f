package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.nio.file.Path;

/** A read found its segment deleted (its records dropped meanwhile): read again from the oldest. */
public final class SegmentGoneException extends IOException {
  private static final long serialVersionUID = 1L;

  SegmentGoneException(Path path) {
    super(path + " was deleted during the read");
  }
}
