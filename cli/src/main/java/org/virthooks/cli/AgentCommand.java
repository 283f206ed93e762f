package org.virthooks.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code virthooks agent}: runs this host's feeds into its sinks until SIGTERM, then drains what
 * it can within the grace period, checkpoints, closes every feed and exits 0. A bad configuration
 * is one error naming the key and the value, exit 2, before anything starts.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Carry this host's events off it: libvirt and LDoms feeds (and hook calls "
        + "through a relay) onto Kafka as CloudEvents through a crash-safe spool, and/or JSON "
        + "lines.",
        "Keys of the --config file: host.id, libvirt.uris, ldm.hosts, ldm.pin, ldm.insecure, "
            + "ldm.truststore, "
            + "ldm.truststore.password, "
            + "ldm.user, ldm.password.file, relay.socket, relay.events.script, "
            + "kafka.bootstrap.servers, kafka.topic, kafka.content.mode, kafka.client.*, "
            + "output.jsonl, spool.dir, spool.max.bytes, spool.full.policy, spool.fsync, "
            + "metrics.prometheus.port, shutdown.grace. A flag overrides the file."},
    exitCodeOnInvalidInput = 2)
public final class AgentCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE",
      description = "A properties file (see the keys above), e.g. /etc/virthooks/agent.properties.")
  Path config;

  @Option(names = "--host-id", paramLabel = "ID", description = "host.id: names this host in "
      + "every record (default: the host name).")
  String hostId;

  @Option(names = "--libvirt", paramLabel = "URI",
      description = "libvirt.uris: a libvirt connection to listen to (repeatable).")
  List<String> libvirt = new ArrayList<>();

  @Option(names = "--ldm", paramLabel = "HOST[:PORT]",
      description = "ldm.hosts: an ldmd to listen to (repeatable).")
  List<String> ldm = new ArrayList<>();

  @Option(names = "--relay-socket", paramLabel = "PATH",
      description = "relay.socket: answer installed hook scripts on this Unix socket.")
  String relaySocket;

  @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]",
      description = "kafka.bootstrap.servers: send every event to this Kafka cluster.")
  String kafka;

  @Option(names = "--topic", description = "kafka.topic (default virt-events).")
  String topic;

  @Option(names = "--spool", paramLabel = "DIR",
      description = "spool.dir (default /var/lib/virthooks/spool).")
  String spool;

  @Option(names = "--spool-max-bytes", paramLabel = "SIZE",
      description = "spool.max.bytes (default 1g).")
  String spoolMaxBytes;

  @Option(names = "--spool-policy", paramLabel = "POLICY",
      description = "spool.full.policy: block or drop-oldest (default block).")
  String spoolPolicy;

  @Option(names = "--jsonl", paramLabel = "stdout|FILE",
      description = "output.jsonl: also write every event as a JSON line here.")
  String jsonl;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "metrics.prometheus.port: serve Prometheus metrics on 127.0.0.1:PORT.")
  String metricsPort;

  @Option(names = "--grace", paramLabel = "DURATION",
      description = "shutdown.grace: how long SIGTERM waits for the spool to drain (default 10s).")
  String grace;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Counted down by tests to stop the agent as SIGTERM would. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    AgentConfig cfg;
    try {
      cfg = AgentConfig.of(readFile(), flags());
    } catch (ConfigException e) {
      err.println("virthooks agent: bad configuration: " + e.getMessage());
      err.flush();
      return 2;
    }
    return Agent.runUntilStopped(cfg, spec.commandLine().getOut(), err, stop);
  }

  private Properties readFile() {
    Properties p = new Properties();
    if (config == null) {
      return p;
    }
    try (InputStream in = Files.newInputStream(config)) {
      p.load(in);
      return p;
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config", config.toString(), "no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--config", config.toString(), "cannot be read: "
          + e.getMessage());
    }
  }

  /** The flags given, as the file's keys. */
  Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    put(f, "host.id", hostId);
    put(f, "libvirt.uris", libvirt.isEmpty() ? null : String.join(",", libvirt));
    put(f, "ldm.hosts", ldm.isEmpty() ? null : String.join(",", ldm));
    put(f, "relay.socket", relaySocket);
    put(f, "kafka.bootstrap.servers", kafka);
    put(f, "kafka.topic", topic);
    put(f, "spool.dir", spool);
    put(f, "spool.max.bytes", spoolMaxBytes);
    put(f, "spool.full.policy", spoolPolicy);
    put(f, "output.jsonl", jsonl);
    put(f, "metrics.prometheus.port", metricsPort);
    put(f, "shutdown.grace", grace);
    return f;
  }

  private static void put(Map<String, String> f, String key, String value) {
    if (value != null) {
      f.put(key, value);
    }
  }
}
