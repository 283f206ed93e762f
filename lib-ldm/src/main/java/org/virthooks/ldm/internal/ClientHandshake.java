package org.virthooks.ldm.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmTrust;

/**
 * The client side of ldmd's XMPP handshake: stream header, mandatory STARTTLS, TLS 1.2+, stream
 * restart, SASL PLAIN when a user is given (remote mode) and a restart after it.
 */
public final class ClientHandshake {
  /**
   * A socket ready for LDM documents and the reader positioned after the last features.
   *
   * @param socket the TLS socket
   * @param reader its frame reader
   */
  public record Ready(SSLSocket socket, FrameReader reader) {}

  private ClientHandshake() {}

  /**
   * Connects and runs the handshake within {@code timeoutMillis} per blocking step.
   *
   * @param password wiped by the caller; only read here
   * @param started given the TCP socket before it connects: closing it from another thread ends
   *     the connect or any step of the handshake at once with an {@code IOException}, where a
   *     blocked read would otherwise wait out the timeout (it is the one socket that exists from
   *     the first step, and the TLS socket reads through it)
   */
  public static Ready connect(String host, int port, String user, char[] password, LdmTrust trust,
      int timeoutMillis, int maxBytes, Consumer<? super Socket> started) throws IOException {
    Socket plain = new Socket();
    SSLSocket tls = null;
    try {
      started.accept(plain);
      plain.connect(new InetSocketAddress(host, port), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      plain.setTcpNoDelay(true);
      FrameReader r = new FrameReader(plain.getInputStream(), maxBytes);
      Xmpp.write(plain.getOutputStream(), Xmpp.CLIENT_HEADER);
      Xmpp.expectOpen(r);
      Stanza features = Xmpp.expectStanza(r, "features");
      if (features.child("starttls").isEmpty()) {
        throw new IOException("ldmd at " + host + ":" + port
            + " offers no STARTTLS; refusing to continue in clear text");
      }
      Xmpp.write(plain.getOutputStream(), Xmpp.STARTTLS);
      Xmpp.expectStanza(r, "proceed");

      SSLContext ctx = trust.sslContext();
      tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
      Xmpp.restrictProtocols(tls);
      if (trust.checksHostName()) {
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
      }
      tls.setSoTimeout(timeoutMillis);
      tls.startHandshake();

      r = restart(tls, maxBytes);
      features = Xmpp.expectStanza(r, "features");
      if (user != null) {
        boolean plainOffered = features.find("mechanism").isEmpty()
            || features.children().stream().anyMatch(c -> c.name().equals("mechanisms")
                && c.children().stream().anyMatch(m -> m.text().equalsIgnoreCase("PLAIN")));
        if (!plainOffered) {
          throw new IOException("ldmd at " + host + ":" + port + " does not offer SASL PLAIN");
        }
        Xmpp.write(tls.getOutputStream(), "<auth xmlns='" + Xmpp.SASL_NS + "' mechanism='PLAIN'>"
            + plainResponse(user, password) + "</auth>");
        Stanza answer = Xmpp.expectStanza(r, "success", "failure");
        if (answer.name().equals("failure")) {
          throw new IOException("ldmd refused the login of '" + user + "':" + Xmpp.failureText(answer));
        }
        r = restart(tls, maxBytes);
        Xmpp.expectStanza(r, "features");
      }
      return new Ready(tls, r);
    } catch (LdmParseException e) {
      Xmpp.closeQuietly(tls == null ? plain : tls);
      throw new IOException("ldmd at " + host + ":" + port + " sent malformed XML: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      Xmpp.closeQuietly(plain);
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      Xmpp.closeQuietly(tls == null ? plain : tls);
      throw e;
    }
  }

  private static FrameReader restart(SSLSocket tls, int maxBytes) throws IOException, LdmParseException {
    FrameReader r = new FrameReader(tls.getInputStream(), maxBytes);
    Xmpp.write(tls.getOutputStream(), Xmpp.CLIENT_HEADER);
    Xmpp.expectOpen(r);
    return r;
  }

  /** base64(authzid NUL user NUL password) with an empty authzid, the password never in a String. */
  static String plainResponse(String user, char[] password) {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] msg = new byte[2 + u.length + pw.remaining()];
    msg[0] = 0;
    System.arraycopy(u, 0, msg, 1, u.length);
    msg[1 + u.length] = 0;
    pw.get(msg, 2 + u.length, pw.remaining());
    try {
      return Base64.getEncoder().encodeToString(msg);
    } finally {
      Arrays.fill(msg, (byte) 0);
      if (pw.hasArray()) {
        Arrays.fill(pw.array(), (byte) 0);
      }
    }
  }
}
