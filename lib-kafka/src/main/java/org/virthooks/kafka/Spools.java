package org.virthooks.kafka;

import java.io.IOException;
import org.virthooks.kafka.spool.SegmentSpool;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.SpoolConfig;

/** Opens the spool implementation the sink uses by default: the segment log. */
final class Spools {
  private Spools() {}

  static Spool open(SpoolConfig config, Spool.DropListener onDrop) throws IOException {
    return SegmentSpool.open(config, onDrop);
  }
}
