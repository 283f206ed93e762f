package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A failed write that could not be cut back either: the segment may end in half a frame, so the
 * spool must write nothing more to it (a later record behind a bad frame would be cut at
 * recovery).
 */
public final class BrokenSegmentException extends IOException {
  private static final long serialVersionUID = 1L;

  BrokenSegmentException(Path path, long offset, IOException cause) {
    super(path + ": a write failed and the file could not be cut back to offset " + offset
        + ": " + cause.getMessage(), cause);
  }
}
