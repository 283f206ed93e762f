package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.virthooks.kafka.spool.SpoolRecord;

/**
 * One segment file: records {@code base ..} in frames, and the offset of each (so that a read can
 * start at any sequence and an acknowledgement can count bytes without reading the file). Not
 * thread-safe: the spool's lock guards the fields; positional reads may run outside it.
 */
public final class Segment {
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";

  private final long base;
  private final Path path;
  private final FileChannel channel;
  private final IntList offsets;
  private long end;
  private boolean dirty;

  Segment(long base, Path path, FileChannel channel, IntList offsets, long end) {
    this.base = base;
    this.path = path;
    this.channel = channel;
    this.offsets = offsets;
    this.end = end;
  }

  /** Creates an empty segment whose first record will be {@code base}. */
  public static Segment create(Path directory, long base, ChannelOpener opener)
      throws IOException {
    Path path = directory.resolve(fileName(base));
    FileChannel channel = opener.open(path);
    channel.truncate(0);
    return new Segment(base, path, channel, new IntList(), 0);
  }

  /** {@code segment-<base, 20 digits>.log}: names sort in sequence order. */
  public static String fileName(long base) {
    return String.format("%s%020d%s", PREFIX, base, SUFFIX);
  }

  /** The first sequence of a segment file's name, or -1 when it is not one. */
  public static long baseOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)
        || name.length() != PREFIX.length() + 20 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), PREFIX.length() + 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Writes {@code frame} (of sequence {@link #next()}) at the end. When the disk refuses, the
   * file is cut back to where it was, so that no half frame lies before the next record.
   */
  public void append(ByteBuffer frame) throws IOException {
    long at = end;
    try {
      while (frame.hasRemaining()) {
        channel.write(frame, at + frame.position());
      }
    } catch (IOException e) {
      try {
        channel.truncate(at);
      } catch (IOException cut) {
        e.addSuppressed(cut);
        throw new BrokenSegmentException(path, at, e);
      }
      throw e;
    }
    offsets.add((int) at);
    end = at + frame.limit();
    dirty = true;
  }

  /** Cuts the file after the last good frame, durably: a record is written after the cut. */
  public void cutAfterLastFrame() throws IOException {
    channel.truncate(end);
    channel.force(true);
  }

  /** Forces what was written to the disk (fdatasync: the file's length included). */
  public void force() throws IOException {
    channel.force(false);
  }

  /** True once, after a write, until {@link #clearDirty()}. */
  public boolean dirty() {
    return dirty;
  }

  /** Marks the segment flushed (the caller forces it). */
  public void clearDirty() {
    dirty = false;
  }

  /** First sequence. */
  public long base() {
    return base;
  }

  /** The sequence the next record of this segment would have. */
  public long next() {
    return base + offsets.size();
  }

  /** Records held. */
  public int count() {
    return offsets.size();
  }

  /** Bytes written. */
  public long size() {
    return end;
  }

  /** Where {@code sequence}'s frame starts; {@link #next()} gives the end of the last frame. */
  public long offsetOf(long sequence) {
    int index = Math.toIntExact(sequence - base);
    return index == offsets.size() ? end : offsets.get(index);
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /**
   * Reads records {@code from .. to} (inclusive) with positional reads, checking each frame: safe
   * outside the spool's lock for records already written.
   */
  public void read(long from, long to, List<SpoolRecord> into) throws IOException {
    long start = offsetOf(from);
    long stop = offsetOf(to + 1);
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(stop - start));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, start + buffer.position()) < 0) {
        throw new IOException(path + ": ends before offset " + stop);
      }
    }
    byte[] bytes = buffer.array();
    int at = 0;
    for (long sequence = from; sequence <= to; sequence++) {
      buffer.position(at);
      int length = buffer.getInt();
      int crc = buffer.getInt();
      long stored = buffer.getLong();
      if (stored != sequence || length < 0 || at + Frame.HEADER + length > bytes.length
          || Frame.checksum(length, stored, bytes, at + Frame.HEADER) != crc) {
        throw new IOException(path + ": record " + sequence + " at offset " + (start + at)
            + " no longer matches its checksum (the disk changed under the spool)");
      }
      byte[] payload = new byte[length];
      System.arraycopy(bytes, at + Frame.HEADER, payload, 0, length);
      into.add(new SpoolRecord(sequence, payload));
      at += Frame.HEADER + length;
    }
  }

  /** Closes the channel. */
  public void close() throws IOException {
    channel.close();
  }

  /** Closes the channel and removes the file. */
  public void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }
}
