package org.virthooks.xen.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One xenstore message: the 16-byte header (type, req_id, tx_id, len as little-endian uint32, the
 * byte order of every x86 and arm64 host) and the payload.
 *
 * @param type the raw message type number (kept raw so that a server can answer unknown ones)
 * @param reqId the request id the reply echoes
 * @param txId the transaction id, 0 outside a transaction
 * @param payload the payload bytes (not copied: frames are handed over, not shared)
 */
public record Frame(int type, int reqId, int txId, byte[] payload) {
  /** Size of the header on the wire. */
  public static final int HEADER = 16;
  /** {@code XENSTORE_PAYLOAD_MAX}: the longest payload either side may send. */
  public static final int PAYLOAD_MAX = 4096;

  /** A frame of a known type. */
  public static Frame of(XsType type, int reqId, int txId, byte[] payload) {
    return new Frame(type.code(), reqId, txId, payload);
  }

  /** The type, or null when the number is not a protocol type. */
  public XsType knownType() {
    return XsType.of(type);
  }

  /** Header and payload in one buffer, so that a device transport gets the message in one write. */
  public ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(reqId).putInt(txId).putInt(payload.length).put(payload);
    return b.flip();
  }

  /** Writes the whole frame. */
  public void writeTo(WritableByteChannel ch) throws IOException {
    ByteBuffer b = encode();
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * Reads one frame.
   *
   * @return null at a clean end of stream (before the first header byte)
   * @throws EOFException when the stream ends inside a frame
   * @throws OversizedFrameException when the header announces more than {@code maxPayload} bytes
   */
  public static Frame read(ReadableByteChannel ch, ByteBuffer header, int maxPayload)
      throws IOException {
    header.clear().order(ByteOrder.LITTLE_ENDIAN);
    if (!fill(ch, header, true)) {
      return null;
    }
    header.flip();
    int type = header.getInt();
    int req = header.getInt();
    int tx = header.getInt();
    long len = header.getInt() & 0xffffffffL;
    if (len > maxPayload) {
      throw new OversizedFrameException(len, maxPayload);
    }
    ByteBuffer body = ByteBuffer.allocate((int) len);
    fill(ch, body, false);
    return new Frame(type, req, tx, body.array());
  }

  private static boolean fill(ReadableByteChannel ch, ByteBuffer b, boolean eofOk)
      throws IOException {
    boolean first = true;
    while (b.hasRemaining()) {
      int n = ch.read(b);
      if (n < 0) {
        if (first && eofOk) {
          return false;
        }
        throw new EOFException("xenstore connection closed inside a message");
      }
      first = false;
    }
    return true;
  }

  /** Strings each followed by NUL, as most requests carry them. */
  public static byte[] strings(String... parts) {
    int len = 0;
    byte[][] enc = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      enc[i] = parts[i].getBytes(StandardCharsets.UTF_8);
      len += enc[i].length + 1;
    }
    ByteBuffer b = ByteBuffer.allocate(len);
    for (byte[] e : enc) {
      b.put(e).put((byte) 0);
    }
    return b.array();
  }

  /** Splits NUL-terminated strings; a last part without NUL is kept too. */
  public static List<String> split(byte[] payload) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < payload.length; i++) {
      if (payload[i] == 0) {
        out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < payload.length) {
      out.add(new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The payload up to its first NUL (or all of it), as text: error names, ids. */
  public String firstString() {
    int end = 0;
    while (end < payload.length && payload[end] != 0) {
      end++;
    }
    return new String(payload, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    XsType t = knownType();
    return "Frame[" + (t == null ? "type " + type : t) + " req=" + reqId + " tx=" + txId + " len="
        + payload.length + "]";
  }
}
