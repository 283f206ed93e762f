package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
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

  /**
   * Forces a segment's data to the disk (fdatasync), through the channel only the committer
   * thread uses; a seam too, so that tests can make an fsync fail.
   */
  default void force(FileChannel channel) throws IOException {
    channel.force(false);
  }
}
