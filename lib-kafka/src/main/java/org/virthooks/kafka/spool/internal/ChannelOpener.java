package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a segment's channel; a seam so that tests can make the disk fail (full, read-only). */
@FunctionalInterface
public interface ChannelOpener {
  /** The JDK's own: read and write, created when missing. */
  ChannelOpener DEFAULT = path -> FileChannel.open(path, StandardOpenOption.CREATE,
      StandardOpenOption.READ, StandardOpenOption.WRITE);

  /** A channel for reading and writing {@code path}, created when missing. */
  FileChannel open(Path path) throws IOException;
}
