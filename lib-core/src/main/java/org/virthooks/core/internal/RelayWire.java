package org.virthooks.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * The relay's wire format, simple enough for a Perl client with nothing but {@code pack}:
 * big-endian 32-bit lengths before every string. Request: {@code "VHR1"}, argc, argv strings,
 * envc, key and value strings, stdin. Response: {@code "VHS1"}, exit code, stdout, stderr.
 * Requests are read by {@link RelayRequestDecoder}, as bytes arrive.
 */
public final class RelayWire {
  /** Request magic. */
  public static final byte[] REQUEST = "VHR1".getBytes(StandardCharsets.US_ASCII);
  /** Response magic. */
  public static final byte[] RESPONSE = "VHS1".getBytes(StandardCharsets.US_ASCII);
  /** Limits that keep a hostile or broken client from exhausting memory. */
  public static final int MAX_ARGS = 64;
  /** At most this many environment variables. */
  public static final int MAX_ENV = 256;
  /** At most this many bytes per argument, name or value. */
  public static final int MAX_STRING = 64 * 1024;
  /**
   * At most this many bytes of argv and environment together: libvirt and Xen send a few hundred,
   * and a server holding a thousand connections must not hold a thousand times more.
   */
  public static final int MAX_HEADER = 64 * 1024;
  /** At most this many bytes of stdin or output: the one document limit. */
  public static final int MAX_BODY = DocumentLimit.MAX_BYTES;

  private RelayWire() {}

  /** Writes a request. */
  public static void writeRequest(OutputStream out, ScriptInvocation call) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.write(REQUEST);
    d.writeInt(call.argv().size());
    for (String a : call.argv()) {
      writeString(d, a);
    }
    d.writeInt(call.env().size());
    for (Map.Entry<String, String> e : call.env().entrySet()) {
      writeString(d, e.getKey());
      writeString(d, e.getValue());
    }
    writeBytes(d, call.stdin());
    d.flush();
  }

  /**
   * Writes a response. An output over {@link #MAX_BODY} is never cut and sent with its exit code
   * (a filter's rewritten document, truncated, would pass as a document): the answer becomes a
   * refusal saying so.
   */
  public static void writeResponse(OutputStream out, ScriptResult r) throws IOException {
    byte[] stdout = r.stdout().getBytes(StandardCharsets.UTF_8);
    byte[] stderr = r.stderr().getBytes(StandardCharsets.UTF_8);
    int code = r.exitCode();
    if (stdout.length > MAX_BODY || stderr.length > MAX_BODY) {
      code = 1;
      stderr = ("virthooks relay: the answer's output is over " + MAX_BODY
          + " bytes; refusing\n").getBytes(StandardCharsets.UTF_8);
      stdout = new byte[0];
    }
    DataOutputStream d = new DataOutputStream(out);
    d.write(RESPONSE);
    d.writeInt(code);
    writeBytes(d, stdout);
    writeBytes(d, stderr);
    d.flush();
  }

  /** Reads a response. */
  public static ScriptResult readResponse(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    expectMagic(d, RESPONSE);
    int code = d.readInt();
    String out = new String(readBytes(d, MAX_BODY, "stdout"), StandardCharsets.UTF_8);
    String err = new String(readBytes(d, MAX_BODY, "stderr"), StandardCharsets.UTF_8);
    return new ScriptResult(code, out, err, false);
  }

  private static void expectMagic(DataInputStream d, byte[] magic) throws IOException {
    byte[] m = new byte[4];
    try {
      d.readFully(m);
    } catch (EOFException e) {
      throw new IOException("relay peer closed the connection before sending anything", e);
    }
    for (int i = 0; i < 4; i++) {
      if (m[i] != magic[i]) {
        throw new IOException("not a virthooks relay message (bad magic)");
      }
    }
  }

  private static int count(DataInputStream d, int max, String what) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > max) {
      throw new IOException("relay message has " + n + " " + what + " (at most " + max + ")");
    }
    return n;
  }

  private static void writeString(DataOutputStream d, String s) throws IOException {
    writeBytes(d, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeBytes(DataOutputStream d, byte[] b) throws IOException {
    d.writeInt(b.length);
    d.write(b);
  }

  private static String readString(DataInputStream d) throws IOException {
    return new String(readBytes(d, MAX_STRING, "string"), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream d, int max, String what) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > max) {
      throw new IOException("relay message " + what + " of " + n + " bytes (at most " + max + ")");
    }
    // read in chunks: a lying length must not allocate before the bytes arrive
    ByteArrayOutputStream b = new ByteArrayOutputStream(Math.min(n, 65536));
    byte[] buf = new byte[Math.min(n, 65536)];
    int left = n;
    while (left > 0) {
      int r = d.read(buf, 0, Math.min(buf.length, left));
      if (r < 0) {
        throw new EOFException("relay message truncated in " + what);
      }
      b.write(buf, 0, r);
      left -= r;
    }
    return b.toByteArray();
  }
}
