package org.virthooks.ldm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.virthooks.ldm.internal.Xmpp;

/**
 * Closing a source while its handshake waits on a daemon that accepted the connection and then
 * says nothing: close must not wait for the connect timeout (SIGTERM gives 5 s in all).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LdmEventSourceCloseTest {
  /** Far above what close may take, so that only interrupting the handshake can pass. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final long CLOSE_LIMIT_MILLIS = 1000;

  @Test
  void closeDuringASilentXmppHandshakeReturnsAtOnce() throws Exception {
    closeWhileSilent(false);
  }

  @Test
  void closeDuringASilentTlsHandshakeReturnsAtOnce() throws Exception {
    closeWhileSilent(true);
  }

  /** Accepts one connection, optionally leads it up to STARTTLS, then never writes again. */
  private static void closeWhileSilent(boolean untilTls) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout(10_000);
      LdmEventSource source = LdmEventSource.builder(LdmClientConfig.builder("127.0.0.1")
              .port(silent.getLocalPort()).trust(LdmTrust.insecureTrustAnyCertificate())
              .connectTimeout(CONNECT_TIMEOUT).build(), e -> { })
          .build().start();
      try (Socket accepted = silent.accept()) {
        accepted.setSoTimeout(10_000);
        InputStream in = accepted.getInputStream();
        awaitText(in, "id=\"xmpp\">"); // the client's stream header: it now waits for ours
        if (untilTls) {
          OutputStream out = accepted.getOutputStream();
          Xmpp.write(out, Xmpp.serverHeader("silent") + "<stream:features><starttls xmlns='"
              + Xmpp.TLS_NS + "'><required/></starttls></stream:features>");
          awaitText(in, Xmpp.STARTTLS);
          Xmpp.write(out, Xmpp.PROCEED);
          // a TLS record header (handshake, version 3.x): the ClientHello has started
          assertThat(in.read()).isEqualTo(0x16);
          assertThat(in.read()).isEqualTo(0x03);
        }
        long start = System.nanoTime();
        source.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMillis).as("close() while the daemon is silent, ms")
            .isLessThan(CLOSE_LIMIT_MILLIS);
        assertThat(Thread.getAllStackTraces().keySet()).as("threads of the source")
            .noneMatch(t -> t.isAlive() && t.getName().startsWith("ldm-"));
        // the client's socket is closed too: the server reads its end of stream
        assertThat(drain(in)).isEqualTo(-1);
      }
    }
  }

  /** Reads until {@code text} has arrived (ASCII), failing at end of stream. */
  private static void awaitText(InputStream in, String text) throws Exception {
    StringBuilder seen = new StringBuilder();
    while (seen.indexOf(text) < 0) {
      int b = in.read();
      assertThat(b).as("end of stream before " + text + " in " + seen).isNotEqualTo(-1);
      seen.append((char) b);
    }
  }

  /** Reads whatever is still coming; -1 once the peer has closed. */
  private static int drain(InputStream in) throws Exception {
    byte[] buf = new byte[4096];
    int n;
    do {
      n = in.read(buf);
    } while (n > 0);
    return n;
  }
}
