package org.virthooks.benchmarks.spool;

import java.io.IOException;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.Spool.DropListener;
import org.virthooks.kafka.spool.SpoolCompatibilityKit;
import org.virthooks.kafka.spool.SpoolConfig;

/** {@link SqliteSpool} keeps the {@link Spool} contract too: the comparison is like for like. */
public class SqliteSpoolCompatibilityTest extends SpoolCompatibilityKit {
  @Override
  protected Spool open(SpoolConfig config, DropListener onDrop) throws IOException {
    return SqliteSpool.open(config, onDrop);
  }
}
