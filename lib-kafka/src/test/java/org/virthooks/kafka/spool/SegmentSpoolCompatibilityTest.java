package org.virthooks.kafka.spool;

import java.io.IOException;
import org.virthooks.kafka.spool.Spool.DropListener;

/** {@link SegmentSpool} keeps the {@link Spool} contract. */
public class SegmentSpoolCompatibilityTest extends SpoolCompatibilityKit {
  @Override
  protected Spool open(SpoolConfig config, DropListener onDrop) throws IOException {
    return SegmentSpool.open(config, onDrop);
  }
}
