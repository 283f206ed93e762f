package org.virthooks.ldm;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How the client decides to trust ldmd's certificate. ldmd presents a self-signed certificate,
 * so in practice either add it to a trust store or pin its SHA-256 fingerprint; the JVM's default
 * trust store (with host-name check) is the default all the same, and trusting anything must be
 * asked for by {@link #insecureTrustAnyCertificate()}, by name.
 */
public final class LdmTrust {
  private enum Mode { TRUST_STORE, PIN, INSECURE }

  private final Mode mode;
  private final KeyStore trustStore;
  private final byte[] pin;

  private LdmTrust(Mode mode, KeyStore trustStore, byte[] pin) {
    this.mode = mode;
    this.trustStore = trustStore;
    this.pin = pin;
  }

  /** The JVM's default trust store, with the host name checked against the certificate. */
  public static LdmTrust jvmDefault() {
    return new LdmTrust(Mode.TRUST_STORE, null, null);
  }

  /** The certificates of {@code trustStore}, with the host name checked. */
  public static LdmTrust trustStore(KeyStore trustStore) {
    return new LdmTrust(Mode.TRUST_STORE, Objects.requireNonNull(trustStore, "trustStore"), null);
  }

  /**
   * Only the certificate whose DER encoding has this SHA-256 fingerprint: 64 hex digits, colons
   * and case ignored (as {@code openssl x509 -fingerprint -sha256} prints it). The host name is
   * not checked: the pin is the identity.
   *
   * @throws IllegalArgumentException when it is not 32 bytes of hex
   */
  public static LdmTrust pinnedSha256(String fingerprint) {
    String hex = fingerprint == null ? "" : fingerprint.replace(":", "").replace(" ", "").trim();
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length != 32) {
      throw new IllegalArgumentException(
          "a SHA-256 fingerprint is 64 hex digits (colons allowed): '" + fingerprint + "'");
    }
    return new LdmTrust(Mode.PIN, null, bytes);
  }

  /**
   * Trusts any certificate: anyone on the path can read and change the traffic, passwords
   * included. For a lab only; every connection made with it logs a warning.
   */
  public static LdmTrust insecureTrustAnyCertificate() {
    return new LdmTrust(Mode.INSECURE, null, null);
  }

  /** True for {@link #insecureTrustAnyCertificate()}. */
  public boolean isInsecure() {
    return mode == Mode.INSECURE;
  }

  /** True when the host name must match the certificate (trust-store modes). */
  public boolean checksHostName() {
    return mode == Mode.TRUST_STORE;
  }

  /** The SHA-256 fingerprint of a certificate as 64 lower-case hex digits. */
  public static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** An SSL context that trusts as this object says. */
  public SSLContext sslContext() throws GeneralSecurityException {
    TrustManager tm = switch (mode) {
      case TRUST_STORE -> {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(trustStore);
        yield f.getTrustManagers()[0];
      }
      case PIN -> new Pinned(pin);
      case INSECURE -> new Pinned(null);
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {tm}, null);
    return ctx;
  }

  @Override
  public String toString() {
    return switch (mode) {
      case TRUST_STORE -> trustStore == null ? "JVM trust store" : "given trust store";
      case PIN -> "pinned SHA-256 " + HexFormat.of().formatHex(pin);
      case INSECURE -> "INSECURE: any certificate";
    };
  }

  /** Accepts the one pinned leaf certificate, or anything when the pin is null. */
  private static final class Pinned implements X509TrustManager {
    private final byte[] pin;

    Pinned(byte[] pin) {
      this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      if (pin == null) {
        return;
      }
      byte[] actual;
      try {
        actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
      } catch (GeneralSecurityException e) {
        throw new CertificateException(e);
      }
      if (!MessageDigest.isEqual(actual, pin)) {
        throw new CertificateException("certificate SHA-256 " + HexFormat.of().formatHex(actual)
            + " does not match the pinned " + HexFormat.of().formatHex(pin));
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("client certificates are not used");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
