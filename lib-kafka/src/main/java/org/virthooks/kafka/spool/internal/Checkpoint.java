package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The spool's one piece of state beyond its segments: the lowest sequence still kept. Everything
 * below it was acknowledged (or dropped) and may be gone; it is also where numbering resumes when
 * every segment was deleted. Written whole to a temporary file, forced, renamed over the old one
 * and the directory forced: a crash leaves the old checkpoint or the new, never a mix.
 */
public final class Checkpoint {
  /** The file's name. */
  public static final String FILE = "checkpoint";
  private static final String TEMP = "checkpoint.tmp";
  private static final int MAGIC = 0x56485350; // "VHSP"
  private static final int VERSION = 1;
  private static final int SIZE = 20;

  private Checkpoint() {}

  /** The lowest sequence kept, as last checkpointed; empty when there is no checkpoint. */
  public static OptionalLong read(Path directory) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(directory.resolve(FILE));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (bytes.length != SIZE || buffer.getInt() != MAGIC || buffer.getInt() != VERSION
        || crc(bytes) != buffer.getInt(16)) {
      // a rename is atomic, so this is not a torn write but a damaged or foreign file
      throw new IOException(directory.resolve(FILE) + " is not a virthooks spool checkpoint "
          + "(bad magic, version or checksum); move it aside to start from the oldest segment");
    }
    return OptionalLong.of(buffer.getLong(8));
  }

  /** Replaces the checkpoint atomically; forced to disk when {@code fsync}. */
  public static void write(Path directory, long firstKept, boolean fsync) throws IOException {
    byte[] bytes = new byte[SIZE];
    ByteBuffer.wrap(bytes).putInt(MAGIC).putInt(VERSION).putLong(firstKept);
    ByteBuffer.wrap(bytes).putInt(16, crc(bytes));
    Path temp = directory.resolve(TEMP);
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      if (fsync) {
        out.force(true);
      }
    }
    Files.move(temp, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    if (fsync) {
      forceDirectory(directory);
    }
  }

  /** Forces a directory's entries (a new or renamed file) to disk. */
  public static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 16);
    return (int) crc.getValue();
  }
}
