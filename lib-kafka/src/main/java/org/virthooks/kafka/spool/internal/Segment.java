package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
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
  private final RandomAccessFile file;
  private final FileOpener opener;
  /** A second handle for the reader, whose seeks must not race the appenders'; lazily. */
  private RandomAccessFile readFile;
  /** fdatasync needs a channel; this one is the committer's alone, a thread never interrupted. */
  private FileChannel syncChannel;
  private boolean closed;
  private final IntList offsets;
  private long end;
  private boolean dirty;
  /** Frames placed but not yet written (fsync mode: the committer writes them per group). */
  private byte[] unwritten = new byte[0];
  private int unwrittenLength;
  /** Where the first unwritten frame goes: the end of what the file holds. */
  private long unwrittenAt = -1;

  Segment(long base, Path path, RandomAccessFile file, FileOpener opener, IntList offsets,
      long end) {
    this.base = base;
    this.path = path;
    this.file = file;
    this.opener = opener;
    this.offsets = offsets;
    this.end = end;
  }

  /** Creates an empty segment whose first record will be {@code base}. */
  public static Segment create(Path directory, long base, FileOpener opener)
      throws IOException {
    Path path = directory.resolve(fileName(base));
    RandomAccessFile file = opener.open(path);
    try {
      file.setLength(0);
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new Segment(base, path, file, opener, new IntList(), 0);
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
    write(new Unwritten(frame.array(), frame.limit(), at));
    offsets.add((int) at);
    end = at + frame.limit();
    dirty = true;
  }

  /**
   * Places {@code frame} (of sequence {@link #next()}) at the end in memory only: the record is
   * counted and its offset known, and {@link #takeUnwritten()} hands the bytes to the one thread
   * that writes them. Appenders then hold the spool's lock for a copy, not a system call.
   */
  public void place(ByteBuffer frame) {
    int length = frame.limit();
    if (unwrittenAt < 0) {
      unwrittenAt = end;
    }
    if (unwrittenLength + length > unwritten.length) {
      unwritten = Arrays.copyOf(unwritten, Math.max(unwrittenLength + length,
          Math.max(4096, unwritten.length * 2)));
    }
    System.arraycopy(frame.array(), 0, unwritten, unwrittenLength, length);
    unwrittenLength += length;
    offsets.add((int) end);
    end += length;
    dirty = true;
  }

  /**
   * The frames placed since the last call, for {@link #write(Unwritten)}; null when there are
   * none. The segment keeps no reference to the bytes returned.
   */
  public Unwritten takeUnwritten() {
    if (unwrittenAt < 0) {
      return null;
    }
    Unwritten taken = new Unwritten(unwritten, unwrittenLength, unwrittenAt);
    unwritten = new byte[unwrittenLength];
    unwrittenLength = 0;
    unwrittenAt = -1;
    return taken;
  }

  /**
   * Writes frames taken by {@link #takeUnwritten()}, from the one writing thread, without the
   * spool's lock. When the disk refuses, the file is cut back to where they began, so that no
   * half frame stays in it.
   */
  public void write(Unwritten frames) throws IOException {
    try {
      file.seek(frames.at());
      file.write(frames.bytes(), 0, frames.length());
    } catch (IOException e) {
      try {
        file.setLength(frames.at());
      } catch (IOException cut) {
        e.addSuppressed(cut);
        throw new BrokenSegmentException(path, frames.at(), e);
      }
      throw e;
    }
  }

  /**
   * Forgets records {@code sequence} and after (placed or written but never made durable) and
   * cuts the file back to where the first of them began.
   */
  public void forgetFrom(long sequence) throws IOException {
    int index = Math.toIntExact(sequence - base);
    if (index >= offsets.size()) {
      return;
    }
    long at = offsets.get(index);
    offsets.truncate(index);
    end = at;
    if (unwrittenAt >= 0) {
      // placed frames before the forgotten ones stay, to be written
      unwrittenLength = (int) Math.max(0, at - unwrittenAt);
      if (unwrittenLength == 0) {
        unwrittenAt = -1;
      }
    }
    try {
      if (file.length() > at) {
        file.setLength(at);
      }
    } catch (IOException e) {
      throw new BrokenSegmentException(path, at, e);
    }
  }

  /** Frames taken to be written: {@code bytes[0 .. length)}, at file offset {@code at}. */
  public record Unwritten(byte[] bytes, int length, long at) {}

  /** Cuts the file after the last good frame, durably: a record is written after the cut. */
  public void cutAfterLastFrame() throws IOException {
    file.setLength(end);
    file.getFD().sync();
  }

  /**
   * Forces what was written to the disk (fdatasync: the data and the file's length, not its
   * times). Called only from the committer thread.
   */
  public void force() throws IOException {
    if (syncChannel == null) {
      syncChannel = FileChannel.open(path, StandardOpenOption.WRITE);
    }
    opener.force(syncChannel);
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
   * Reads records {@code from .. to} (inclusive), whose frames span file offsets {@code start ..
   * stop} (taken from {@link #offsetOf} under the spool's lock), checking each frame: safe
   * outside the spool's lock for records already written, from one reader thread at a time.
   *
   * @throws SegmentGoneException when the segment was deleted (records dropped) meanwhile
   */
  public void read(long from, long to, long start, long stop, List<SpoolRecord> into)
      throws IOException {
    byte[] bytes = new byte[Math.toIntExact(stop - start)];
    synchronized (this) {
      if (closed) {
        throw new SegmentGoneException(path);
      }
      if (readFile == null) {
        readFile = opener.open(path);
      }
      readFile.seek(start);
      readFile.readFully(bytes);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
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

  /** Closes the file. */
  public void close() throws IOException {
    RandomAccessFile reading;
    synchronized (this) {
      closed = true;
      reading = readFile;
    }
    try (RandomAccessFile writing = file; FileChannel syncing = syncChannel) {
      if (reading != null) {
        reading.close();
      }
    }
  }

  /** Closes the file and removes it. */
  public void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }
}
