package org.virthooks.ldm.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.virthooks.ldm.LdmParseException;

/** XMPP strings and steps shared by the client and the simulator (RFC 3920 framing as ldmd uses it). */
public final class Xmpp {
  /** The STARTTLS namespace. */
  public static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
  /** The SASL namespace. */
  public static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
  /**
   * The header the illumos client sends: no xmlns, undeclared {@code stream:} prefix. ldmd is
   * known to accept it, which is more than can be said of a "correct" one.
   */
  public static final String CLIENT_HEADER =
      "<?xml version='1.0'?><stream:stream xml:lang=\"en\" version=\"1.0\" id=\"xmpp\">";
  /** The STARTTLS request. */
  public static final String STARTTLS = "<starttls xmlns='" + TLS_NS + "'/>";
  /** The STARTTLS go-ahead. */
  public static final String PROCEED = "<proceed xmlns='" + TLS_NS + "'/>";
  /** The end of a stream. */
  public static final String STREAM_END = "</stream:stream>";

  private Xmpp() {}

  /** A server's stream header. */
  public static String serverHeader(String id) {
    return "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
        + " xmlns:stream='http://etherx.jabber.org/streams' id='" + id + "' from='ldmd' version='1.0'>";
  }

  /** TLS 1.3 and 1.2 where the socket supports them; never anything older. */
  public static void restrictProtocols(SSLSocket s) throws IOException {
    List<String> wanted = new ArrayList<>();
    List<String> supported = Arrays.asList(s.getSupportedProtocols());
    for (String p : new String[] {"TLSv1.3", "TLSv1.2"}) {
      if (supported.contains(p)) {
        wanted.add(p);
      }
    }
    if (wanted.isEmpty()) {
      throw new IOException("neither TLS 1.3 nor TLS 1.2 is available in this JVM");
    }
    s.setEnabledProtocols(wanted.toArray(new String[0]));
  }

  /** Writes text and flushes. */
  public static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next item, which must be a stream header. */
  public static FrameReader.Opened expectOpen(FrameReader r) throws IOException, LdmParseException {
    FrameReader.Item i = r.next();
    if (i instanceof FrameReader.Opened o) {
      return o;
    }
    throw new IOException("expected a stream header, got " + describe(i));
  }

  /** The next item, which must be an element; a {@code failure} element is an error. */
  public static Stanza expectStanza(FrameReader r, String... names) throws IOException, LdmParseException {
    FrameReader.Item i = r.next();
    if (i instanceof FrameReader.Element e) {
      Stanza s = Stanza.parse(e.frame());
      for (String n : names) {
        if (n.equals(s.name())) {
          return s;
        }
      }
      throw new IOException("expected <" + String.join("> or <", names) + ">, got <" + s.name() + ">"
          + (s.name().equals("failure") ? failureText(s) : ""));
    }
    throw new IOException("expected <" + String.join("> or <", names) + ">, got " + describe(i));
  }

  /** The condition and text of a failure element, for messages. */
  public static String failureText(Stanza failure) {
    StringBuilder b = new StringBuilder();
    for (Stanza c : failure.children()) {
      b.append(' ').append(c.name());
      if (!c.text().isEmpty()) {
        b.append(": ").append(c.text());
      }
    }
    if (!failure.text().isEmpty()) {
      b.append(' ').append(failure.text());
    }
    return b.toString();
  }

  private static String describe(FrameReader.Item i) {
    if (i instanceof FrameReader.Closed c) {
      return "the end of the stream (" + c.why() + ")";
    }
    if (i instanceof FrameReader.Element e) {
      return "<" + e.name() + ">";
    }
    return "a new stream header";
  }

  /** Closes quietly: used on paths that already report a better error. */
  public static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing more to do with a socket we are abandoning
      }
    }
  }
}
