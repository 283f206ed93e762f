package org.virthooks.kafka.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker for tests: KRaft, broker and controller in one child JVM started from
 * the {@code kafka_2.13} jars on this JVM's class path (a runtime dependency of this module, so
 * Maven, an IDE and a user's build all have them), listening on 127.0.0.1 only, on two free
 * ports, with its log in a temporary directory. Stopped by its PID: {@link #kill()} is
 * {@code kill -9}, {@link #stop()} a graceful shutdown, {@link #restart()} starts it again on the
 * same log directory and ports. {@link #close()} kills it and deletes the directory.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *   broker.createTopic("events", 3);
 *   ... broker.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>A start takes about ten seconds; share one broker across a test class
 * ({@link KafkaBrokerExtension}). The broker's own output is in {@link #logFile()}.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String KAFKA_MAIN = "kafka.Kafka";
  private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
  /** How long a start may take on a slow, shared machine before it is a failure. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path directory;
  private final int brokerPort;
  private final int controllerPort;
  private final List<String> jvmOptions;
  private final String classPath;
  private Process process;

  private KafkaBroker(Path directory, int brokerPort, int controllerPort, List<String> jvmOptions,
      Map<String, String> overrides) throws IOException, InterruptedException {
    this.directory = directory;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.classPath = childClassPath();
    writeConfig(overrides);
    format();
  }

  /** A broker with the defaults, started. */
  public static KafkaBroker start() throws IOException, InterruptedException {
    return builder().start();
  }

  /** A builder for a broker with other settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}, for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The broker's process id, while it runs. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return process.pid();
  }

  /** True while the broker's JVM runs. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The broker JVM's stdout and stderr, appended across restarts. */
  public Path logFile() {
    return directory.resolve("broker.log");
  }

  /** Kills the broker with SIGKILL (a crash: no shutdown, no flush) and waits for it to exit. */
  public synchronized void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    process.waitFor();
    process = null;
  }

  /** Stops the broker with SIGTERM (a controlled shutdown) and waits for it, at most a minute. */
  public synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      LOG.warn("Kafka broker {} did not stop within a minute: killed", process.pid());
      process.destroyForcibly();
      process.waitFor();
    }
    process = null;
  }

  /**
   * Starts the broker again on the same log directory and ports (after {@link #kill()} or
   * {@link #stop()}) and waits until it serves.
   */
  public synchronized void restart() throws IOException, InterruptedException {
    if (isRunning()) {
      throw new IllegalStateException("the broker is running (pid " + process.pid() + ")");
    }
    launch();
  }

  /** Creates {@code name} with {@code partitions} partitions (replication 1) unless it exists. */
  public void createTopic(String name, int partitions) throws InterruptedException {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("topic " + name + " not created: " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("topic " + name + " not created within a minute", e);
    }
  }

  /** An admin client of this broker; the caller closes it. */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    return Admin.create(p);
  }

  /** Kills the broker if it runs and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteTree(directory);
    }
  }

  private synchronized void launch() throws IOException, InterruptedException {
    List<String> cmd = javaCommand(KAFKA_MAIN);
    cmd.add(directory.resolve("server.properties").toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    process = pb.start();
    LOG.info("Kafka broker pid {} starting on {} (log {})", process.pid(), bootstrapServers(),
        logFile());
    awaitServing();
  }

  /** Waits until the broker answers a metadata request with itself, or fails with its log. */
  private void awaitServing() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IOException("Kafka broker exited with " + process.exitValue() + " while "
            + "starting; its log:\n" + tail());
      }
      if (portOpen(brokerPort)) {
        try (Admin admin = admin()) {
          admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
          LOG.info("Kafka broker pid {} serves {}", process.pid(), bootstrapServers());
          return;
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("broker not ready yet: {}", e.toString());
        }
      }
      Thread.sleep(200);
    }
    Process p = process;
    kill();
    throw new IOException("Kafka broker pid " + p.pid() + " did not serve within "
        + START_TIMEOUT.toSeconds() + " s; its log:\n" + tail());
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void writeConfig(Map<String, String> overrides) throws IOException {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
        + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", directory.resolve("data").toString());
    // one broker: every internal topic with one replica, and no waiting for more members
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    p.putAll(overrides);
    try (var out = Files.newBufferedWriter(directory.resolve("server.properties"))) {
      p.store(out, "written by KafkaBroker");
    }
  }

  private void format() throws IOException, InterruptedException {
    List<String> cmd = javaCommand(STORAGE_TOOL);
    cmd.addAll(List.of("format", "--cluster-id", clusterId(), "--config",
        directory.resolve("server.properties").toString(), "--ignore-formatted"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("formatting the Kafka log directory failed; log:\n" + tail());
      }
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * A random cluster id in Kafka's form: a UUID's 16 bytes in URL-safe base64, unpadded; never
   * one starting with '-', which the storage tool would read as an option (Kafka's own
   * {@code Uuid.randomUuid} skips those too).
   */
  private static String clusterId() {
    while (true) {
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private List<String> javaCommand(String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    // the broker's own log goes to its file at info, whatever the tests' logging is set to
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    return cmd;
  }

  /**
   * This JVM's class path with the {@code Class-Path} of its jars' manifests expanded: Surefire
   * runs tests from a jar that only names the real class path in its manifest.
   */
  static String childClassPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      entries.add(e);
      if (e.endsWith(".jar")) {
        entries.addAll(manifestClassPath(Paths.get(e)));
      }
    }
    if (KafkaBroker.class.getClassLoader().getResource("kafka/Kafka.class") == null) {
      throw new IllegalStateException("no Kafka broker on the class path: depend on "
          + "org.apache.kafka:kafka_2.13 (virthooks-kafka-testing brings it at runtime)");
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> manifestClassPath(Path jar) {
    List<String> out = new ArrayList<>();
    if (!Files.isRegularFile(jar)) {
      return out;
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      Manifest m = j.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return out;
      }
      URI base = jar.toAbsolutePath().getParent().toUri();
      for (String rel : cp.trim().split("\\s+")) {
        if (!rel.isEmpty()) {
          out.add(Paths.get(base.resolve(rel)).toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the manifest of " + jar, e);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Settings of a {@link KafkaBroker}. */
  public static final class Builder {
    private final Map<String, String> overrides = new java.util.LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xms256m", "-Xmx768m",
        "-XX:+UseSerialGC"));
    private Path parent;

    private Builder() {}

    /**
     * Keeps the broker's directory (its log, its data) under {@code parent} instead of the
     * system's temporary directory: a benchmark puts it on another file system than the spool it
     * measures, as a remote cluster's disks would be, so that the broker's writes do not enter
     * the spool's fsyncs through a shared journal.
     */
    public Builder directoryIn(Path parent) {
      this.parent = parent;
      return this;
    }

    /** A broker property set over the defaults ({@code num.partitions}, {@code log.flush...}). */
    public Builder property(String name, String value) {
      overrides.put(name, value);
      return this;
    }

    /** The child JVM's options instead of the defaults (-Xms256m -Xmx768m -XX:+UseSerialGC). */
    public Builder jvmOptions(List<String> options) {
      jvmOptions.clear();
      jvmOptions.addAll(options);
      return this;
    }

    /** Formats a fresh log directory and starts the broker; waits until it serves. */
    public KafkaBroker start() throws IOException, InterruptedException {
      Path dir = parent == null ? Files.createTempDirectory("virthooks-kafka-")
          : Files.createTempDirectory(parent, "virthooks-kafka-");
      KafkaBroker broker = null;
      try {
        int brokerPort = freePort();
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
          controllerPort = freePort();
        }
        broker = new KafkaBroker(dir, brokerPort, controllerPort, jvmOptions, overrides);
        broker.launch();
        return broker;
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (broker != null) {
          broker.close();
        } else {
          deleteTree(dir);
        }
        throw e;
      }
    }
  }
}
