package org.virthooks.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.script.EventScript;
import org.virthooks.core.script.EventScriptConfig;
import org.virthooks.kafka.ContentMode;
import org.virthooks.kafka.KafkaEventSink;
import org.virthooks.kafka.spool.FullPolicy;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.ldm.LdmClientConfig;
import org.virthooks.ldm.LdmEventSource;
import org.virthooks.ldm.LdmTrust;
import org.virthooks.libvirt.LibvirtEventSource;
import org.virthooks.libvirt.LibvirtHookPoints;
import org.virthooks.libvirt.LibvirtHookProvider;
import org.virthooks.libvirt.LibvirtHookRunner;

/**
 * The running agent: sinks first (so that the spool is open before any event can arrive), then
 * the dispatcher, then the feeds. Closing runs the other way: feeds stop producing, the
 * dispatcher delivers what it holds, the Kafka sink drains within the grace period and
 * checkpoints. The hypervisor path (a libvirt callback, the ldmd reader, a hook call) waits on
 * the spool's append only, never on Kafka: the Kafka sink is a synchronous listener whose
 * publish is that append.
 */
final class Agent implements AutoCloseable {
  private final AgentConfig config;
  private final PrintWriter log;
  /** What to close, last opened first. */
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final List<EventFeed> feeds = new ArrayList<>();
  private KafkaEventSink kafka;
  private EventDispatcher events;
  private HookRegistry hooks;
  private MetricsEndpoint metrics;

  private Agent(AgentConfig config, PrintWriter log) {
    this.config = config;
    this.log = log;
  }

  /**
   * Runs {@code config} until {@code stop} is counted down or SIGTERM arrives; 0 after a clean
   * stop, 1 when something could not start (said on {@code err}).
   */
  static int runUntilStopped(AgentConfig config, PrintWriter out, PrintWriter err,
      CountDownLatch stop) {
    // the shutdown hook waits for the drain, and a little longer for the rest to close
    Duration closing = config.shutdownGrace().plusSeconds(5);
    stopOnSignals(stop, err);
    try (UntilStopped until = new UntilStopped("virthooks-agent-stop", stop, closing);
        Agent agent = start(config, err)) {
      out.println("agent " + config.hostId() + " running: " + agent.describe());
      out.flush();
      until.await(0);
      err.println("agent: stopping (draining for up to " + config.shutdownGrace().toSeconds()
          + " s)");
      err.flush();
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("virthooks agent: cannot start: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /**
   * SIGTERM and SIGINT stop the agent through {@code stop}, so that it drains, closes and exits 0
   * from its main thread; left to the JVM's default they would run only shutdown hooks and exit
   * 143 or 130, which a service manager reads as a failure of the agent.
   */
  @SuppressWarnings("restriction")
  private static void stopOnSignals(CountDownLatch stop, PrintWriter err) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // a JVM that keeps the signal to itself (-Xrs): the shutdown hook still stops the agent
        err.println("agent: SIG" + name + " stays the JVM's: " + e.getMessage());
      }
    }
  }

  /** Starts everything {@code config} names; on a failure closes what was started and throws. */
  static Agent start(AgentConfig config, PrintWriter log) throws IOException {
    Agent a = new Agent(config, log);
    try {
      a.startAll();
      return a;
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
  }

  private void startAll() throws IOException {
    events = EventDispatcher.create();
    opened.push(events);
    if (config.kafkaBootstrap().isPresent()) {
      kafka = kafkaSink(config);
      // closed after the dispatcher: whatever the dispatcher still delivers is spooled first
      opened.addLast(kafka);
      events.on(VirtEvent.class, kafka::publish);
    }
    if (config.jsonLines().isPresent()) {
      Writer w = jsonWriter(config.jsonLines().get());
      // closed after the dispatcher, which may still be writing lines
      opened.addLast(w);
      // a slow reader of the lines must never hold up a feed: the lines have a queue of their own
      events.subscribe(VirtEvent.class).name("json-lines").async(65_536, OverflowPolicy.BLOCK)
          .register(e -> {
            try {
              w.write(EventJson.toJson(e));
              w.write('\n');
              w.flush();
            } catch (IOException failed) {
              throw new java.io.UncheckedIOException(failed);
            }
          });
    }
    if (config.metricsPort().isPresent()) {
      metrics = MetricsEndpoint.start(config.metricsPort().get());
      // served to the end, so that the drain can be watched
      opened.addLast(metrics);
      metrics.bind(events);
      if (kafka != null) {
        metrics.bind(kafka);
      }
    }
    for (String uri : config.libvirtUris()) {
      startFeed(LibvirtEventSource.builder(uri, events).build());
    }
    for (AgentConfig.LdmHost h : config.ldmHosts()) {
      LdmClientConfig.Builder b = LdmClientConfig.builder(h.host()).port(h.port());
      if (config.ldmUser().isPresent()) {
        b.credentials(config.ldmUser().get(), config.ldmPasswordFile().orElseThrow());
      }
      config.ldmPin().ifPresent(p -> b.trust(LdmTrust.pinnedSha256(p)));
      if (config.ldmTrustStore().isPresent()) {
        b.trust(LdmTrust.trustStore(trustStore(config)));
      }
      if (config.ldmInsecure()) {
        b.trust(LdmTrust.insecureTrustAnyCertificate());
      }
      startFeed(LdmEventSource.builder(b.build(), events).build());
    }
    if (config.relaySocket().isPresent()) {
      startRelay(config.relaySocket().get());
    }
  }

  /** The agent's Kafka sink for {@code config}, started (also the fleet demo's). */
  static KafkaEventSink kafkaSink(AgentConfig config) throws IOException {
    SpoolConfig spool = SpoolConfig.defaults(config.spoolDir())
        .withMaxBytes(config.spoolMaxBytes())
        .withFullPolicy(config.spoolPolicy().equals("drop-oldest") ? FullPolicy.DROP_OLDEST
            : FullPolicy.BLOCK)
        .withFsync(config.spoolFsync());
    return KafkaEventSink.builder()
        .bootstrapServers(config.kafkaBootstrap().orElseThrow())
        .topic(config.kafkaTopic())
        .hostId(config.hostId())
        .spool(spool)
        .contentMode(config.kafkaStructured() ? ContentMode.STRUCTURED : ContentMode.BINARY)
        .clientProperties(config.kafkaClient())
        .closeGrace(config.shutdownGrace())
        .build()
        .start();
  }

  private static java.security.KeyStore trustStore(AgentConfig config) throws IOException {
    Path file = config.ldmTrustStore().orElseThrow();
    char[] password = config.ldmTrustStorePassword().map(String::toCharArray).orElse(null);
    try {
      return java.security.KeyStore.getInstance(file.toFile(), password);
    } catch (java.security.GeneralSecurityException | IOException e) {
      throw new IOException("ldm.truststore " + file + " cannot be read as a trust store: "
          + e.getMessage(), e);
    }
  }

  private void startFeed(EventFeed feed) {
    opened.push(feed);
    feeds.add(feed);
    if (metrics != null) {
      metrics.bind(feed);
    }
    feed.start();
  }

  private void startRelay(Path socket) throws IOException {
    hooks = HookRegistry.create();
    opened.push(hooks);
    for (LibvirtHookProvider p : ServiceLoader.load(LibvirtHookProvider.class)) {
      p.register(hooks);
      p.listen(events);
    }
    if (config.eventsScript().isPresent()) {
      // the same kinds as `virthooks relay serve`: every libvirt object a hook call is about
      EventScript script = new EventScript(EventScriptConfig.of(
          config.eventsScript().get().toString(), RelayCommand.DEFAULT_EVENTS_SET, null));
      opened.push(script::close);
      script.hookInto(hooks, LibvirtHookPoints.ALL);
    }
    if (metrics != null) {
      metrics.bind(hooks);
    }
    LibvirtHookRunner runner = LibvirtHookRunner.of(hooks, events).warmUp(3000);
    opened.push(RelayServer.builder(socket, runner).start());
  }

  private static Writer jsonWriter(String where) throws IOException {
    OutputStream os;
    if (where.equals("stdout")) {
      // never closed with the agent: stdout belongs to the process
      os = new java.io.FilterOutputStream(System.out) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    } else {
      os = Files.newOutputStream(Path.of(where), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return new OutputStreamWriter(os, StandardCharsets.UTF_8);
  }

  /** One line on what runs. */
  String describe() {
    List<String> parts = new ArrayList<>();
    config.libvirtUris().forEach(u -> parts.add("libvirt " + u));
    config.ldmHosts().forEach(h -> parts.add("ldm " + h));
    config.relaySocket().ifPresent(s -> parts.add("relay " + s));
    String sinks = (config.kafkaBootstrap().map(b -> "kafka " + b + " topic "
        + config.kafkaTopic() + " spool " + config.spoolDir()).orElse("")
        + config.jsonLines().map(j -> " json-lines " + j).orElse("")).strip();
    return String.join(", ", parts) + " -> " + sinks
        + config.metricsPort().map(p -> "; metrics on 127.0.0.1:" + p).orElse("");
  }

  /** The Kafka sink, when configured (tests read its counters). */
  KafkaEventSink kafka() {
    return kafka;
  }

  /** Closes everything, last started first; never throws. */
  @Override
  public void close() {
    while (!opened.isEmpty()) {
      AutoCloseable c = opened.pop();
      try {
        c.close();
      } catch (Exception | LinkageError e) {
        log.println("agent: closing " + c + ": " + e);
        log.flush();
      }
    }
  }
}
