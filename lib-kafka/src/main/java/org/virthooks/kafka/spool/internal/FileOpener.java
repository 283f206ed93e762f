package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Opens a segment file; a seam so that tests can make the disk fail (full, read-only).
 *
 * <p>A {@link RandomAccessFile}, not a {@code FileChannel}: a channel is interruptible, and an
 * interrupt of any thread inside one of its calls (a publisher, the sender on shutdown) closes it
 * for every thread, which would break the spool for all its users.
 */
@FunctionalInterface
public interface FileOpener {
  /** The JDK's own: read and write, created when missing. */
  FileOpener DEFAULT = path -> new RandomAccessFile(path.toFile(), "rw");

  /** The file {@code path} for reading and writing, created when missing. */
  RandomAccessFile open(Path path) throws IOException;
}
