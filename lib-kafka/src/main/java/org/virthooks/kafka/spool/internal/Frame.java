package org.virthooks.kafka.spool.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One record on disk: payload length (int), CRC32C (int), sequence (long), payload; big-endian.
 * The checksum covers the length, the sequence and the payload, so a torn or flipped header is
 * caught as surely as a torn payload.
 */
public final class Frame {
  /** Bytes before the payload. */
  public static final int HEADER = 16;

  private Frame() {}

  /** A frame ready to write: the payload copied, length and sequence set, checksum computed. */
  public static ByteBuffer encode(long sequence, byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
    frame.putInt(payload.length).putInt(0).putLong(sequence).put(payload);
    frame.putInt(4, checksum(payload.length, sequence, payload, 0));
    return frame.flip();
  }

  /** The checksum of a frame whose payload is {@code payload[offset .. offset + length)}. */
  public static int checksum(int length, long sequence, byte[] payload, int offset) {
    CRC32C crc = new CRC32C();
    ByteBuffer head = ByteBuffer.allocate(12).putInt(length).putLong(sequence).flip();
    crc.update(head);
    crc.update(payload, offset, length);
    return (int) crc.getValue();
  }
}
