package org.virthooks.kafka;

import java.io.IOException;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.SpoolConfig;

/** Opens the spool implementation the sink uses by default. */
final class Spools {
  private Spools() {}

  static Spool open(SpoolConfig config, Spool.DropListener onDrop) throws IOException {
    // the segment spool is written on branch kafka-spool; until it is merged there is none
    throw new UnsupportedOperationException("no spool implementation yet (SegmentSpool)");
  }
}
