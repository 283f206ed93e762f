package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.cli.CliTest.Run;

class AgentConfigTest {
  @TempDir Path dir;

  static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void theIssuesOneLinerIsAWholeAgent() {
    AgentConfig c = AgentConfig.of(new Properties(), Map.of("host.id", "web-07",
        "libvirt.uris", "qemu:///system", "kafka.bootstrap.servers", "127.0.0.1:9092",
        "kafka.topic", "virt-events", "spool.dir", "/var/lib/virthooks/spool"));
    assertThat(c.hostId()).isEqualTo("web-07");
    assertThat(c.libvirtUris()).containsExactly("qemu:///system");
    assertThat(c.kafkaBootstrap()).contains("127.0.0.1:9092");
    assertThat(c.spoolDir()).isEqualTo(Path.of("/var/lib/virthooks/spool"));
    assertThat(c.spoolMaxBytes()).isEqualTo(1L << 30);
    assertThat(c.spoolPolicy()).isEqualTo("block");
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.kafkaStructured()).isFalse();
  }

  @Test
  void aFlagOverridesTheFileAndClientPropertiesPassThrough() {
    Properties file = props("host.id", "from-file", "ldm.hosts", "a, b:7000",
        "kafka.bootstrap.servers", "k1:9092,k2:9093", "kafka.client.security.protocol", "SSL",
        "spool.max.bytes", "64m", "shutdown.grace", "1500ms", "kafka.content.mode", "structured");
    AgentConfig c = AgentConfig.of(file, Map.of("host.id", "from-flag"));
    assertThat(c.hostId()).isEqualTo("from-flag");
    assertThat(c.ldmHosts()).containsExactly(new AgentConfig.LdmHost("a", 6482),
        new AgentConfig.LdmHost("b", 7000));
    assertThat(c.kafkaClient()).containsEntry("security.protocol", "SSL");
    assertThat(c.spoolMaxBytes()).isEqualTo(64L << 20);
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.kafkaStructured()).isTrue();
  }

  @Test
  void everyMistakeNamesTheKeyAndTheValue() {
    String[][] bad = {
        {"spool.max.bytes", "12x", "a size"},
        {"spool.max.bytes", "10k", "at least 1m"},
        {"spool.full.policy", "sometimes", "block or drop-oldest"},
        {"kafka.bootstrap.servers", "no-port", "HOST:PORT"},
        {"kafka.topic", "bad topic!", "1 to 249"},
        {"ldm.hosts", "h:99999", "1 to 65535"},
        {"host.id", "a b", "letters, digits"},
        {"spool.fsync", "maybe", "true or false"},
        {"shutdown.grace", "soon", "a duration"},
        {"metrics.prometheus.port", "http", "a port"},
        {"kafka.content.mode", "xml", "binary or structured"},
        {"libvirt.uris", "system", "not a libvirt URI"},
        {"spool.dri", "/x", "unknown key"},
        {"ldm.truststore", "/no/such/store.p12", "no readable file"},
        {"ldm.password.file", "/no/such/password", "no readable file"},
    };
    for (String[] b : bad) {
      Properties file = props("libvirt.uris", "test:///default", "kafka.bootstrap.servers",
          "127.0.0.1:9092");
      file.setProperty(b[0], b[1]);
      assertThatThrownBy(() -> AgentConfig.of(file, Map.of()))
          .as(b[0] + "=" + b[1])
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(b[0]).hasMessageContaining("'" + b[1] + "'")
          .hasMessageContaining(b[2]);
    }
  }

  @Test
  void noFeedOrNoSinkIsAnError() {
    assertThatThrownBy(() -> AgentConfig.of(props("kafka.bootstrap.servers", "k:1"), Map.of()))
        .hasMessageContaining("no feed");
    assertThatThrownBy(() -> AgentConfig.of(props("libvirt.uris", "test:///default"), Map.of()))
        .hasMessageContaining("no sink");
  }

  @Test
  void theCommandExitsTwoOnABadConfigBeforeStartingAnything() throws Exception {
    Path cfg = dir.resolve("agent.properties");
    Path spool = dir.resolve("spool");
    Files.writeString(cfg, "libvirt.uris=test:///default\nkafka.bootstrap.servers=127.0.0.1:9\n"
        + "spool.dir=" + spool + "\nspool.full.policy=sometimes\n");
    Run r = CliTest.run("agent", "--config", cfg.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("spool.full.policy = 'sometimes'").contains("block or drop-oldest");
    assertThat(spool).doesNotExist();

    Run missing = CliTest.run("agent", "--config", dir.resolve("nope").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("--config").contains("no such file");

    Run flag = CliTest.run("agent", "--libvirt", "test:///default", "--kafka", "x");
    assertThat(flag.status()).isEqualTo(2);
    assertThat(flag.err()).contains("kafka.bootstrap.servers = 'x'");

    Run unknownFlag = CliTest.run("agent", "--no-such-flag");
    assertThat(unknownFlag.status()).isEqualTo(2);
  }

  @Test
  void aSpoolAnotherProcessHoldsIsAClearErrorAndNothingKeepsRunning() throws Exception {
    Path spool = dir.resolve("spool");
    // what a second agent on the same host and directory would meet
    try (var held = org.virthooks.kafka.spool.SegmentSpool.open(
        org.virthooks.kafka.spool.SpoolConfig.defaults(spool))) {
      Run r = CliTest.run("agent", "--host-id", "h1", "--libvirt", "test:///default",
          "--kafka", "127.0.0.1:9", "--spool", spool.toString());
      assertThat(r.status()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("cannot start").contains(spool.toString());
    }
    // (libvirt's event loop is one per JVM and may be another test's: feeds' own threads only)
    assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
        .noneMatch(n -> n.startsWith("virthooks-kafka-sender") || n.startsWith("virthooks-spool")
            || n.startsWith("virthooks-libvirt-feed"));
  }

  @Test
  void aRelayWithAnEventsScriptStarts() throws Exception {
    Path script = dir.resolve("on-hook");
    Files.writeString(script, "#!/bin/sh\ncat >/dev/null\nexit 0\n");
    script.toFile().setExecutable(true);
    Path socket = dir.resolve("relay.sock");
    AgentConfig c = AgentConfig.of(new Properties(), Map.of("relay.socket", socket.toString(),
        "relay.events.script", script.toString(),
        "output.jsonl", dir.resolve("events.jsonl").toString()));
    try (Agent agent = Agent.start(c, new java.io.PrintWriter(new java.io.StringWriter()))) {
      assertThat(socket).exists();
    }
    assertThat(socket).doesNotExist();
  }
}
