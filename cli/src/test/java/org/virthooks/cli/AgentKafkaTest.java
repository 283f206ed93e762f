package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.relay.RelayClient;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.kafka.testing.KafkaBrokerExtension;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/**
 * {@code virthooks agent} as an operator runs it, a child JVM against a real Kafka broker (one
 * per class): hook calls answered through its relay land on the topic, a {@code kill -9} of the
 * agent mid-stream loses none of the calls it answered, SIGTERM drains and exits 0, the metrics
 * are served on loopback, and {@code kafka tail} reads the records back.
 *
 * <p>Why hook calls: a call answered through the relay is an event the agent has spooled (the
 * runner publishes before it answers, and the Kafka sink's publish is the spool's append), so the
 * test knows exactly which events the agent owed Kafka when it was killed.
 */
@Timeout(600)
class AgentKafkaTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Process> agents = new ArrayList<>();

  @AfterEach
  void killAgents() throws InterruptedException {
    for (Process p : agents) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** A started agent: its process and what it printed. */
  record Agent(Process process, StringBuffer output) {}

  private Agent startAgent(String topic, Path spool, Path socket, String... more)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--relay-socket", socket.toString()));
    args.addAll(List.of(more));
    return startAgent(topic, spool, args);
  }

  private Agent startAgent(String topic, Path spool, List<String> feeds) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VirthooksCommand.class.getName(),
        "agent", "--host-id", "agent-test",
        "--kafka", KAFKA.broker().bootstrapServers(), "--topic", topic,
        "--spool", spool.toString(), "--grace", "20s"));
    cmd.addAll(feeds);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    agents.add(p);
    StringBuffer output = new StringBuffer();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      output.append(line).append('\n');
      if (line.contains("running:")) {
        break;
      }
    }
    assertThat(line).as("the agent started: " + output).isNotNull();
    Thread drain = new Thread(() -> {
      try {
        String l;
        while ((l = out.readLine()) != null) {
          output.append(l).append('\n');
        }
      } catch (IOException e) {
        // the agent is gone
      }
    }, "agent-output");
    drain.setDaemon(true);
    drain.start();
    return new Agent(p, output);
  }

  /** A libvirt {@code started} call for {@code guest}, as libvirtd makes it; true when answered. */
  private static boolean hookCall(RelayClient client, String guest) {
    String xml = "<domain type='kvm'><name>" + guest + "</name><uuid>"
        + java.util.UUID.nameUUIDFromBytes(guest.getBytes(StandardCharsets.UTF_8))
        + "</uuid></domain>";
    ScriptResult r = client.call(new ScriptInvocation(
        List.of("/etc/libvirt/hooks/qemu", guest, "started", "begin", "-"), Map.of(),
        xml.getBytes(StandardCharsets.UTF_8)));
    // REFUSE as the unreachable policy: exit 0 only when the agent itself answered
    return r.exitCode() == 0;
  }

  private static String guest(int i) {
    return "guest-" + String.format("%06d", i);
  }

  /** The domain names of every record on {@code topic}, with how often each arrived. */
  private static Map<String, Integer> namesOnTopic(String topic, Set<String> expected,
      Duration within) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    consume(topic, within, () -> seen.keySet().containsAll(expected), event -> {
      JsonNode name = event.path("domain").path("name");
      if (!name.isMissingNode()) {
        seen.merge(name.asText(), 1, Integer::sum);
      }
    });
    return seen;
  }

  /** Reads {@code topic} from its start, each value as JSON, until {@code done} or {@code within}. */
  private static void consume(String topic, Duration within, java.util.function.BooleanSupplier done,
      java.util.function.Consumer<JsonNode> each) throws Exception {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic, Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(topic, i.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      long end = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < end && !done.getAsBoolean()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          each.accept(JSON.readTree(r.value()));
        }
      }
    }
  }

  @Test
  void anAgentKilledMidStreamLosesNoCallItAnswered() throws Exception {
    String topic = "agent-crash";
    KAFKA.broker().createTopic(topic, 3);
    Path spool = dir.resolve("spool");
    Path socket = dir.resolve("relay.sock");
    Set<String> answered = new HashSet<>();
    RelayClient client = new RelayClient(socket, Duration.ofSeconds(20), UnreachablePolicy.REFUSE);
    int next = 0;
    for (int round = 0; round < 2; round++) {
      Agent agent = startAgent(topic, spool, socket);
      int killAt = next + 150 + (int) (Math.random() * 150);
      AtomicReference<Throwable> killer = new AtomicReference<>();
      for (; next < killAt; next++) {
        if (hookCall(client, guest(next))) {
          answered.add(guest(next));
        }
      }
      // calls keep coming while the agent dies: some answered, some refused, none in between
      Thread kill = new Thread(() -> {
        try {
          Thread.sleep(20);
          agent.process().destroyForcibly().waitFor();
        } catch (InterruptedException e) {
          killer.set(e);
        }
      });
      kill.start();
      for (int i = 0; i < 100; i++, next++) {
        if (hookCall(client, guest(next))) {
          answered.add(guest(next));
        }
      }
      kill.join();
      assertThat(killer.get()).isNull();
      assertThat(agent.process().isAlive()).isFalse();
    }
    // restarted on the same spool: what the killed agents spooled is sent from there
    Agent last = startAgent(topic, spool, socket);
    for (int i = 0; i < 50; i++, next++) {
      assertThat(hookCall(client, guest(next))).as("a running agent answers").isTrue();
      answered.add(guest(next));
    }
    Map<String, Integer> seen = namesOnTopic(topic, answered, Duration.ofSeconds(120));
    Set<String> lost = new HashSet<>(answered);
    lost.removeAll(seen.keySet());
    assertThat(lost).as("answered calls missing from the topic").isEmpty();
    long duplicates = seen.values().stream().filter(n -> n > 1).count();
    System.out.printf("agent kill -9: %d calls answered, %d on the topic, %d guests twice%n",
        answered.size(), seen.size(), duplicates);

    // SIGTERM: drains, checkpoints, exits 0
    last.process().destroy();
    assertThat(last.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(last.process().exitValue()).as(last.output().toString()).isZero();
  }

  @Test
  void anLdomsFeedThroughTheAgentArrivesOnceAndInOrderPerDomain() throws Exception {
    String topic = "agent-ldm";
    KAFKA.broker().createTopic(topic, 3);
    List<String> actions = List.of("bind-domain", "start-domain", "stop-domain", "unbind-domain");
    Map<String, List<String>> published = new HashMap<>();
    try (LdmdSimulator sim = LdmdSimulator.start()) {
      Path cfg = dir.resolve("agent.properties");
      java.nio.file.Files.writeString(cfg, "ldm.hosts=" + sim.host() + ":" + sim.port() + "\n"
          + "ldm.pin=" + sim.certificateSha256() + "\n");
      Agent agent = startAgent(topic, dir.resolve("spool"), List.of("--config", cfg.toString()));
      assertThat(sim.awaitRegisteredClients(1, Duration.ofSeconds(60))).as(agent.output()
          .toString()).isTrue();
      for (int i = 0; i < 600; i++) {
        String domain = "ldg" + (i % 6);
        String action = actions.get((i / 6) % actions.size());
        sim.publish(SeedEvents.event(action, domain));
        published.computeIfAbsent(domain, d -> new ArrayList<>()).add(action);
        if (i % 20 == 0) {
          Thread.sleep(5); // a steady stream, not one burst
        }
      }
      Map<String, List<String>> received = new HashMap<>();
      consume(topic, Duration.ofSeconds(120), () -> received.equals(published), e -> {
        if (e.path("attributes").path("resync").asText().equals("true")
            || e.path("domain").isMissingNode() || e.path("domain").isNull()) {
          return; // the feed's own resynchronisation and source events
        }
        received.computeIfAbsent(e.path("domain").path("name").asText(),
            d -> new ArrayList<>()).add(e.path("action").asText());
      });
      // once each and, per domain (one key, one partition), in the order ldmd sent them
      assertThat(received).isEqualTo(published);
      agent.process().destroy();
      assertThat(agent.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(agent.process().exitValue()).as(agent.output().toString()).isZero();
    }
  }

  @Test
  void metricsAreServedOnLoopbackAndTailReadsTheRecordsBack() throws Exception {
    String topic = "agent-tail";
    KAFKA.broker().createTopic(topic, 1);
    Path socket = dir.resolve("relay.sock");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Agent agent = startAgent(topic, dir.resolve("spool"), socket, "--metrics-port",
        Integer.toString(port));
    RelayClient client = new RelayClient(socket, Duration.ofSeconds(20), UnreachablePolicy.REFUSE);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(hookCall(client, guest(i))).isTrue();
      names.add(guest(i));
    }
    assertThat(namesOnTopic(topic, names, Duration.ofSeconds(60)).keySet()).containsAll(names);

    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("virthooks_kafka").contains("spool");

    CliTest.Run tail = CliTest.run("kafka", "tail", "--bootstrap",
        KAFKA.broker().bootstrapServers(), "--topic", topic, "--from-beginning", "--max", "20",
        "--idle", "30");
    assertThat(tail.status()).as(tail.err()).isZero();
    String[] lines = tail.out().strip().split("\n");
    assertThat(lines).hasSize(20);
    for (String l : lines) {
      JsonNode n = JSON.readTree(l);
      assertThat(n.path("ce").path("ce_specversion").asText()).isEqualTo("1.0");
      assertThat(n.path("ce").path("ce_source").asText()).contains("agent-test");
      assertThat(names).contains(n.path("value").path("domain").path("name").asText());
    }
    agent.process().destroy();
    assertThat(agent.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.process().exitValue()).isZero();
  }
}
