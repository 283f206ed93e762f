package org.virthooks.ldm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where and how to reach ldmd: host, port (6482), optional SASL PLAIN user and password (remote
 * mode; none means local mode), certificate trust, time limits, document limits. Immutable; the
 * password is copied in and never printed.
 */
public final class LdmClientConfig {
  /** ldmd's XMPP port. */
  public static final int DEFAULT_PORT = 6482;

  private final String host;
  private final int port;
  private final String user;
  private final char[] password;
  private final LdmTrust trust;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final LdmLimits limits;

  private LdmClientConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.user = b.user;
    this.password = b.password == null ? null : b.password.clone();
    this.trust = b.trust;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.limits = b.limits;
  }

  /** A builder for {@code host}. */
  public static Builder builder(String host) {
    return new Builder(host);
  }

  /** The host name or address. */
  public String host() {
    return host;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** The SASL user, or null in local mode. */
  public String user() {
    return user;
  }

  /** A copy of the password (the caller should wipe it), or null. */
  char[] password() {
    return password == null ? null : password.clone();
  }

  /** The certificate trust. */
  public LdmTrust trust() {
    return trust;
  }

  /** The limit on connecting, the TLS handshake and authentication together. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The default limit on waiting for a response. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The document limits. */
  public LdmLimits limits() {
    return limits;
  }

  /** {@code host:port}, as event sources name the instance. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return "ldmd " + address() + (user == null ? " (local)" : " as " + user) + ", trust " + trust;
  }

  /** Builds a {@link LdmClientConfig}. */
  public static final class Builder {
    private final String host;
    private int port = DEFAULT_PORT;
    private String user;
    private char[] password;
    private LdmTrust trust = LdmTrust.jvmDefault();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private LdmLimits limits = LdmLimits.DEFAULTS;

    private Builder(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host.trim();
    }

    /** The port, 6482 by default. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Remote mode: SASL PLAIN as {@code user} with {@code password} (copied). */
    public Builder credentials(String user, char[] password) {
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank");
      }
      this.user = user;
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Remote mode with the password read from the first line of {@code passwordFile} (UTF-8;
     * the line break is not part of it).
     */
    public Builder credentials(String user, Path passwordFile) throws IOException {
      byte[] bytes = Files.readAllBytes(passwordFile);
      try {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
          end++;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
        char[] pw = new char[chars.remaining()];
        chars.get(pw);
        Arrays.fill(chars.array(), '\0');
        try {
          return credentials(user, pw);
        } finally {
          Arrays.fill(pw, '\0');
        }
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }

    /** The certificate trust, the JVM trust store by default. */
    public Builder trust(LdmTrust trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    /** The limit on connecting and the handshake, 10 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** The default limit on a response, 30 s by default. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout);
      return this;
    }

    /** The document limits, {@link LdmLimits#DEFAULTS} by default. */
    public Builder limits(LdmLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The configuration. */
    public LdmClientConfig build() {
      return new LdmClientConfig(this);
    }

    private static Duration positive(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + d);
      }
      return d;
    }
  }
}
