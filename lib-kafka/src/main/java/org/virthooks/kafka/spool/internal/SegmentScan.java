package org.virthooks.kafka.spool.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a segment file from its start, checking every frame (length in bounds, sequence the next
 * one, checksum), and stops at the first that fails: everything before it is kept.
 *
 * @param segment the segment holding the good frames, open for appending after them
 * @param fileSize the file's length as found
 * @param problem why the scan stopped before the end of the file; null when the file was whole
 */
public record SegmentScan(Segment segment, long fileSize, String problem) {

  /** Bytes after the last good frame. */
  public long bytesBad() {
    return fileSize - segment.size();
  }

  /** Scans {@code path}, whose first record must be {@code base}. Does not cut the file. */
  public static SegmentScan scan(Path path, long base, int maxPayload, ChannelOpener opener)
      throws IOException {
    FileChannel channel = opener.open(path);
    try {
      long size = channel.size();
      IntList offsets = new IntList();
      long at = 0;
      String problem = null;
      // one sequential pass through a buffer: recovery reads the whole spool once
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)),
          1 << 16);
      DataInputStream data = new DataInputStream(in);
      byte[] payload = new byte[4096];
      while (at < size) {
        long sequence = base + offsets.size();
        if (size - at < Frame.HEADER) {
          problem = "a header cut short (" + (size - at) + " of " + Frame.HEADER + " bytes)";
          break;
        }
        int length = data.readInt();
        int crc = data.readInt();
        long stored = data.readLong();
        if (length < 0 || length > maxPayload || length > size - at - Frame.HEADER) {
          problem = "a length of " + length + " bytes where " + (size - at - Frame.HEADER)
              + " remain";
          break;
        }
        if (payload.length < length) {
          payload = new byte[Math.max(length, payload.length * 2)];
        }
        try {
          data.readFully(payload, 0, length);
        } catch (EOFException e) {
          problem = "the file ended inside a record";
          break;
        }
        if (Frame.checksum(length, stored, payload, 0) != crc) {
          problem = "a checksum mismatch";
          break;
        }
        if (stored != sequence) {
          problem = "sequence " + stored + " where " + sequence + " was due";
          break;
        }
        offsets.add((int) at);
        at += Frame.HEADER + length;
      }
      return new SegmentScan(new Segment(base, path, channel, offsets, at), size, problem);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
