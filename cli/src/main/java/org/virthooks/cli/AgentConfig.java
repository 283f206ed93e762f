package org.virthooks.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code virthooks agent} runs, read from a properties file and flags (a flag overrides the
 * file) and checked as a whole before anything starts: every mistake is a {@link ConfigException}
 * naming the key and the value.
 *
 * @param hostId names this host in every record ({@code source}, keys); the host name by default
 * @param libvirtUris libvirt connections to listen to
 * @param ldmHosts ldmd hosts to listen to
 * @param ldmPin the SHA-256 fingerprint of ldmd's certificate, when pinned
 * @param ldmInsecure trust any ldmd certificate (lab use)
 * @param ldmTrustStore a trust store (PKCS#12 or JKS) holding ldmd's CA, when not pinned
 * @param ldmTrustStorePassword the trust store's password, when it has one
 * @param ldmUser the SASL PLAIN user, when ldmd is remote
 * @param ldmPasswordFile the file whose first line is that user's password
 * @param relaySocket the Unix socket of a relay server for installed hook scripts, when wanted
 * @param eventsScript the events script run at every hook point, when wanted
 * @param kafkaBootstrap the Kafka bootstrap servers, when events go to Kafka
 * @param kafkaTopic the topic
 * @param kafkaStructured CloudEvents structured content mode instead of binary
 * @param kafkaClient client properties passed through to the producer ({@code kafka.client.*})
 * @param jsonLines where JSON lines go: {@code stdout}, a file, or nowhere
 * @param spoolDir the spool's directory
 * @param spoolMaxBytes the spool's bound
 * @param spoolPolicy {@code block} or {@code drop-oldest}
 * @param spoolFsync fsync each group commit
 * @param metricsPort the loopback port serving Prometheus metrics, when wanted
 * @param shutdownGrace how long SIGTERM waits for the spool to drain to Kafka
 */
public record AgentConfig(
    String hostId,
    List<String> libvirtUris,
    List<LdmHost> ldmHosts,
    Optional<String> ldmPin,
    boolean ldmInsecure,
    Optional<Path> ldmTrustStore,
    Optional<String> ldmTrustStorePassword,
    Optional<String> ldmUser,
    Optional<Path> ldmPasswordFile,
    Optional<Path> relaySocket,
    Optional<Path> eventsScript,
    Optional<String> kafkaBootstrap,
    String kafkaTopic,
    boolean kafkaStructured,
    Map<String, String> kafkaClient,
    Optional<String> jsonLines,
    Path spoolDir,
    long spoolMaxBytes,
    String spoolPolicy,
    boolean spoolFsync,
    Optional<Integer> metricsPort,
    Duration shutdownGrace) {

  /** The default ldmd port. */
  public static final int LDM_DEFAULT_PORT = 6482;

  /**
   * An ldmd host to listen to.
   *
   * @param host its name or address
   * @param port its XMPP port
   */
  public record LdmHost(String host, int port) {
    /** {@code host} or {@code host:port}. */
    static LdmHost parse(String key, String value) {
      Matcher m = HOST_PORT.matcher(value);
      if (!m.matches()) {
        throw new ConfigException(key, value, "expected HOST or HOST:PORT");
      }
      int port = m.group(2) == null ? LDM_DEFAULT_PORT : AgentConfig.port(key, value, m.group(2));
      return new LdmHost(m.group(1), port);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})\\s*([kmgt]?)i?b?");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h)?");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  /** Every key the file may hold, besides {@code kafka.client.*}. */
  public static final Set<String> KEYS = Set.of("host.id", "libvirt.uris", "ldm.hosts",
      "ldm.pin", "ldm.insecure", "ldm.truststore", "ldm.truststore.password", "ldm.user", "ldm.password.file", "relay.socket",
      "relay.events.script", "kafka.bootstrap.servers", "kafka.topic", "kafka.content.mode",
      "output.jsonl", "spool.dir", "spool.max.bytes", "spool.full.policy", "spool.fsync",
      "metrics.prometheus.port", "shutdown.grace");
  /** Client properties with this prefix go to the Kafka producer, prefix removed. */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  /** The defaults of the keys that have one. */
  static final Map<String, String> DEFAULTS = Map.of(
      "kafka.topic", "virt-events",
      "kafka.content.mode", "binary",
      "spool.dir", "/var/lib/virthooks/spool",
      "spool.max.bytes", "1g",
      "spool.full.policy", "block",
      "spool.fsync", "true",
      "shutdown.grace", "10s");

  /**
   * The configuration from {@code file}'s entries with {@code flags} (same keys) laid over them.
   *
   * @throws ConfigException on the first mistake, naming the key and the value
   */
  public static AgentConfig of(Properties file, Map<String, String> flags) {
    Map<String, String> all = new TreeMap<>();
    for (String k : file.stringPropertyNames()) {
      all.put(k, file.getProperty(k).strip());
    }
    all.putAll(flags);
    for (String k : all.keySet()) {
      if (!KEYS.contains(k) && !k.startsWith(KAFKA_CLIENT_PREFIX)) {
        throw new ConfigException(k, all.get(k), "unknown key (known: "
            + String.join(", ", new TreeSet<>(KEYS)) + ", " + KAFKA_CLIENT_PREFIX + "*)");
      }
    }
    DEFAULTS.forEach(all::putIfAbsent);
    return new Reader(all).read();
  }

  /** True when at least one feed (libvirt, LDoms, relay) is configured. */
  public boolean hasFeeds() {
    return !libvirtUris.isEmpty() || !ldmHosts.isEmpty() || relaySocket.isPresent();
  }

  private static int port(String key, String value, String digits) {
    int p = Integer.parseInt(digits);
    if (p < 1 || p > 65535) {
      throw new ConfigException(key, value, "port must be 1 to 65535");
    }
    return p;
  }

  /** Reads and checks the merged entries. */
  private static final class Reader {
    private final Map<String, String> all;

    Reader(Map<String, String> all) {
      this.all = all;
    }

    AgentConfig read() {
      String hostId = optional("host.id").orElseGet(Reader::hostName);
      if (!hostId.matches("[A-Za-z0-9._-]{1,253}")) {
        throw new ConfigException("host.id", hostId,
            "letters, digits, '.', '_' and '-' only (it becomes part of a URI and of keys)");
      }
      List<String> uris = list("libvirt.uris");
      for (String u : uris) {
        if (!u.matches("[a-z][a-z0-9+.-]*:.*")) {
          throw new ConfigException("libvirt.uris", u, "not a libvirt URI (qemu:///system, ...)");
        }
      }
      List<LdmHost> ldm = new ArrayList<>();
      for (String h : list("ldm.hosts")) {
        ldm.add(LdmHost.parse("ldm.hosts", h));
      }
      Optional<String> pin = optional("ldm.pin");
      boolean insecure = bool("ldm.insecure", false);
      if (pin.isPresent() && insecure) {
        throw new ConfigException("ldm.insecure", "true", "ldm.pin and ldm.insecure exclude each "
            + "other");
      }
      Optional<Path> trustStore = optional("ldm.truststore").map(Path::of);
      if (trustStore.isPresent() && (pin.isPresent() || insecure)) {
        throw new ConfigException("ldm.truststore", trustStore.get().toString(), "choose one of "
            + "ldm.pin, ldm.truststore and ldm.insecure");
      }
      trustStore.ifPresent(t -> {
        if (!java.nio.file.Files.isReadable(t)) {
          throw new ConfigException("ldm.truststore", t.toString(), "no readable file there");
        }
      });
      pin.ifPresent(p -> {
        if (!p.replace(":", "").matches("[0-9a-fA-F]{64}")) {
          throw new ConfigException("ldm.pin", p, "expected a SHA-256 fingerprint (64 hex digits)");
        }
      });
      Optional<String> user = optional("ldm.user");
      Optional<Path> passwordFile = optional("ldm.password.file").map(Path::of);
      passwordFile.ifPresent(f -> {
        if (!java.nio.file.Files.isReadable(f)) {
          throw new ConfigException("ldm.password.file", f.toString(), "no readable file there");
        }
      });
      if (user.isPresent() != passwordFile.isPresent()) {
        throw new ConfigException(user.isPresent() ? "ldm.password.file" : "ldm.user", "",
            "ldm.user and ldm.password.file go together");
      }
      Optional<Path> relay = optional("relay.socket").map(Path::of);
      Optional<Path> script = optional("relay.events.script").map(Path::of);
      if (script.isPresent() && relay.isEmpty()) {
        throw new ConfigException("relay.events.script", script.get().toString(),
            "an events script runs at hook points: set relay.socket too");
      }
      Optional<String> bootstrap = optional("kafka.bootstrap.servers");
      bootstrap.ifPresent(b -> {
        for (String s : b.split(",")) {
          if (!HOST_PORT.matcher(s.strip()).matches() || !s.contains(":")) {
            throw new ConfigException("kafka.bootstrap.servers", b,
                "expected HOST:PORT[,HOST:PORT...]");
          }
        }
      });
      String topic = all.get("kafka.topic");
      if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
        throw new ConfigException("kafka.topic", topic,
            "a Kafka topic is 1 to 249 of letters, digits, '.', '_' and '-'");
      }
      String mode = all.get("kafka.content.mode").toLowerCase(Locale.ROOT);
      if (!mode.equals("binary") && !mode.equals("structured")) {
        throw new ConfigException("kafka.content.mode", mode, "binary or structured");
      }
      Map<String, String> client = new TreeMap<>();
      all.forEach((k, v) -> {
        if (k.startsWith(KAFKA_CLIENT_PREFIX)) {
          client.put(k.substring(KAFKA_CLIENT_PREFIX.length()), v);
        }
      });
      Optional<String> jsonl = optional("output.jsonl");
      String policy = all.get("spool.full.policy").toLowerCase(Locale.ROOT);
      if (!policy.equals("block") && !policy.equals("drop-oldest")) {
        throw new ConfigException("spool.full.policy", policy, "block or drop-oldest");
      }
      long maxBytes = size("spool.max.bytes");
      if (maxBytes < 1 << 20) {
        throw new ConfigException("spool.max.bytes", all.get("spool.max.bytes"),
            "at least 1m");
      }
      Optional<Integer> metrics = optional("metrics.prometheus.port")
          .map(p -> {
            if (!p.matches("[0-9]{1,5}")) {
              throw new ConfigException("metrics.prometheus.port", p, "a port number");
            }
            return port("metrics.prometheus.port", p, p);
          });
      AgentConfig c = new AgentConfig(hostId, uris, ldm, pin, insecure, trustStore,
          optional("ldm.truststore.password"), user, passwordFile, relay,
          script, bootstrap, topic, mode.equals("structured"), client, jsonl,
          Path.of(all.get("spool.dir")), maxBytes, policy, bool("spool.fsync", true), metrics,
          duration("shutdown.grace"));
      if (!c.hasFeeds()) {
        throw new ConfigException("libvirt.uris", "", "no feed: set libvirt.uris, ldm.hosts or "
            + "relay.socket (flags --libvirt, --ldm, --relay-socket)");
      }
      if (bootstrap.isEmpty() && jsonl.isEmpty()) {
        throw new ConfigException("kafka.bootstrap.servers", "", "no sink: set "
            + "kafka.bootstrap.servers or output.jsonl (flags --kafka, --jsonl)");
      }
      return c;
    }

    Optional<String> optional(String key) {
      String v = all.get(key);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    List<String> list(String key) {
      List<String> out = new ArrayList<>();
      for (String s : all.getOrDefault(key, "").split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    }

    boolean bool(String key, boolean dflt) {
      String v = all.get(key);
      if (v == null || v.isBlank()) {
        return dflt;
      }
      return switch (v.strip().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new ConfigException(key, v, "true or false");
      };
    }

    long size(String key) {
      String v = all.get(key);
      Matcher m = SIZE.matcher(v.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new ConfigException(key, v, "a size: bytes, or with k, m, g, t (1024-based)");
      }
      int shift = switch (m.group(2)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        case "t" -> 40;
        default -> 0;
      };
      long n = Long.parseLong(m.group(1));
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new ConfigException(key, v, "too large");
      }
      return n << shift;
    }

    Duration duration(String key) {
      String v = all.get(key);
      Matcher m = DURATION.matcher(v.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new ConfigException(key, v, "a duration: 500ms, 10s, 2m, 1h (seconds without a "
            + "unit)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    }

    static String hostName() {
      try {
        String h = InetAddress.getLocalHost().getHostName();
        int dot = h.indexOf('.');
        return dot > 0 ? h.substring(0, dot) : h;
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
  }
}
