package org.virthooks.benchmarks.kafka;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.kafka.ContentMode;
import org.virthooks.kafka.KafkaEventSink;
import org.virthooks.kafka.internal.SpooledEvent;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.testing.KafkaBroker;

/**
 * Fleet delivery side by side on one local broker that this harness starts ({@link KafkaBroker}):
 * throughput of the sink (durable spool, {@code acks=all}) against a bare kafka-clients producer
 * sending the same bytes with the same settings; latency from {@code publish} to a consumer's
 * receipt at a steady 1,000 events/s; the cost of {@code publish} on the publishing thread. Not
 * JMH: the figures are rates and latencies of a whole pipeline with a broker in another process.
 *
 * <p>Every path is first warmed up (both JVMs compile for tens of seconds), then each round runs
 * the bare producer, the sink with fsync and the sink without, one after the other; the table
 * gives medians and spreads, and the CPU time per event of this JVM and of the broker's.
 *
 * <p>Arguments: {@code --quick} (fewer events and rounds), {@code --events N} per run,
 * {@code --publishers N} (64), {@code --batch N} and {@code --batch-publishers N} (64 and 8: the
 * run with {@link KafkaEventSink#publishAll}), {@code --rounds N}, {@code --warm-seconds N}, {@code --broker-dir
 * DIR} (where the broker keeps its data: another file system than the spool's, as a remote
 * cluster's disks would be).
 */
public final class KafkaReport {
  private static final Pattern T0 = Pattern.compile("\"t0\":\"(\\d+)\"");
  private static final int DOMAINS = 64;

  private KafkaReport() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int events = intArg(args, "--events", quick ? 50_000 : 200_000);
    int publishers = intArg(args, "--publishers", 64);
    int rounds = intArg(args, "--rounds", quick ? 3 : 5);
    int warmSeconds = intArg(args, "--warm-seconds", quick ? 20 : 40);
    int batch = intArg(args, "--batch", 64);
    int batchPublishers = intArg(args, "--batch-publishers", 8);
    int latencySeconds = quick ? 10 : 30;
    System.out.printf(Locale.ROOT, "starting a local broker (cores: %d)%n",
        Runtime.getRuntime().availableProcessors());
    KafkaBroker.Builder builder = KafkaBroker.builder()
        .jvmOptions(List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC"));
    String brokerDir = stringArg(args, "--broker-dir", null);
    if (brokerDir != null) {
      builder.directoryIn(Path.of(brokerDir));
    }
    try (KafkaBroker broker = builder.start()) {
      broker.createTopic("bare", 3);
      broker.createTopic("sink", 3);
      broker.createTopic("latency", 3);
      Path tmp = Files.createTempDirectory("virthooks-kafka-bench-");
      try {
        if (Arrays.asList(args).contains("--latency-only")) {
          Latency l = latency(broker, tmp.resolve("latency"), latencySeconds, publishers);
          System.out.printf(Locale.ROOT, "publish -> consumer at 1,000 ev/s (%d publishers), "
              + "p50 / p99 / max: %.1f / %.1f / %.1f ms; publish p50 / p99 %.3f / %.3f ms%n",
              publishers, l.p50, l.p99, l.max, l.appendP50, l.appendP99);
          return;
        }
        List<byte[]> stored = storedEvents(events);
        // warm every path up (JIT in both JVMs, connections, topic metadata) until the time is
        // spent: a first run measured C2 compiling in both JVMs for a third of the 2 cores
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmSeconds);
        int warm = 0;
        while (System.nanoTime() - warmEnd < 0) {
          int n = Math.min(20_000, events);
          bare(broker, "bare", stored.subList(0, n));
          sink(broker, "sink", tmp.resolve("warm-" + warm++), n, publishers, true);
          sink(broker, "sink", tmp.resolve("warm-" + warm++), n, publishers, false);
          sink(broker, "sink", tmp.resolve("warm-" + warm++), n, batchPublishers, true, batch);
        }
        System.out.printf(Locale.ROOT, "warmed up for %d s; %d rounds of %,d events, %d "
            + "publishers%n", warmSeconds, rounds, events, publishers);
        List<Run> bareRuns = new ArrayList<>();
        List<Run> fsyncRuns = new ArrayList<>();
        List<Run> plainRuns = new ArrayList<>();
        List<Run> batchRuns = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          // one after the other in each round, so that a busier moment of the machine falls on
          // all three rather than on one
          bareRuns.add(bare(broker, "bare", stored));
          fsyncRuns.add(sink(broker, "sink", tmp.resolve("spool-" + round), events, publishers,
              true));
          plainRuns.add(sink(broker, "sink", tmp.resolve("plain-" + round), events, publishers,
              false));
          batchRuns.add(sink(broker, "sink", tmp.resolve("batch-" + round), events,
              batchPublishers, true, batch));
          System.out.printf(Locale.ROOT, "round %d: bare %,.0f, fsync %,.0f, no fsync %,.0f, "
              + "fsync batches %,.0f ev/s%n", round + 1, bareRuns.get(round).rate,
              fsyncRuns.get(round).rate, plainRuns.get(round).rate, batchRuns.get(round).rate);
        }
        Latency l = latency(broker, tmp.resolve("latency"), latencySeconds, publishers);

        System.out.println();
        System.out.println("| measure | median (lowest–highest) | CPU per event: this JVM + "
            + "broker | target |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| bare producer, acks=all, idempotent | %s | %s | |%n",
            rates(bareRuns), cpu(bareRuns));
        System.out.printf(Locale.ROOT, "| sink, durable spool (fsync), acks=all, %d publishers "
            + "| %s | %s | >= 20,000 ev/s, >= 50%% of bare |%n", publishers,
            rates(fsyncRuns, bareRuns), cpu(fsyncRuns));
        System.out.printf(Locale.ROOT, "| publish (append) during those runs, p50 / p99 "
            + "| %s | | |%n", appends(fsyncRuns));
        System.out.printf(Locale.ROOT, "| sink, spool without fsync, acks=all, %d publishers "
            + "| %s | %s | |%n", publishers, rates(plainRuns, bareRuns), cpu(plainRuns));
        System.out.printf(Locale.ROOT, "| publish (append) during those runs, p50 / p99 "
            + "| %s | | |%n", appends(plainRuns));
        System.out.printf(Locale.ROOT, "| sink, durable spool (fsync), acks=all, publishAll of "
            + "%d events from %d threads | %s | %s | >= 20,000 ev/s, >= 50%% of bare |%n", batch,
            batchPublishers, rates(batchRuns, bareRuns), cpu(batchRuns));
        System.out.printf(Locale.ROOT, "| publishAll during those runs, p50 / p99 "
            + "| %s | | |%n", appends(batchRuns));
        System.out.printf(Locale.ROOT, "| publish -> consumer at 1,000 ev/s (%d publishers), "
            + "p50 / p99 / max | %.1f / %.1f / %.1f ms | | p99 <= 100 ms |%n", publishers, l.p50,
            l.p99, l.max);
        System.out.printf(Locale.ROOT, "| publish (append) at 1,000 ev/s, p50 / p99 "
            + "| %.3f / %.3f ms | | |%n", l.appendP50, l.appendP99);
        System.out.printf(Locale.ROOT, "(%d events per throughput run; latency run %d s, %d "
            + "events received)%n", events, latencySeconds, l.count);
      } finally {
        deleteTree(tmp);
      }
    }
  }

  /** One throughput run: its rate, CPU per event, and (for the sink) the append's cost. */
  private record Run(double rate, double ownMicros, double brokerMicros, double appendP50,
      double appendP99) {}

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v[v.length / 2];
  }

  private static String rates(List<Run> runs) {
    double[] v = runs.stream().mapToDouble(Run::rate).sorted().toArray();
    return String.format(Locale.ROOT, "%,.0f ev/s (%,.0f–%,.0f)", v[v.length / 2], v[0],
        v[v.length - 1]);
  }

  /** Rates, and each run's share of the bare producer's run of the same round. */
  private static String rates(List<Run> runs, List<Run> bare) {
    double[] share = new double[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      share[i] = 100 * runs.get(i).rate / bare.get(i).rate;
    }
    Arrays.sort(share);
    return String.format(Locale.ROOT, "%s; %.0f %% of bare (%.0f–%.0f %%)", rates(runs),
        share[share.length / 2], share[0], share[share.length - 1]);
  }

  private static String cpu(List<Run> runs) {
    return String.format(Locale.ROOT, "%.0f + %.0f µs", median(runs, Run::ownMicros),
        median(runs, Run::brokerMicros));
  }

  private static String appends(List<Run> runs) {
    return String.format(Locale.ROOT, "%.3f / %.3f ms", median(runs, Run::appendP50),
        median(runs, Run::appendP99));
  }

  /** CPU time used so far by this JVM and by the broker's, in nanoseconds. */
  private record Cpu(long own, long broker) {
    static Cpu now(KafkaBroker broker) {
      return new Cpu(((com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(),
          brokerCpu(broker.pid()));
    }
  }

  /** The broker process's user + system time from /proc, in nanoseconds (0 where unreadable). */
  private static long brokerCpu(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime (fields 14 and 15 of proc(5)) in clock ticks, 100 a second on Linux
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The events as the sink spools them, so that the bare producer sends the same bytes. */
  private static List<byte[]> storedEvents(int n) {
    List<VirtEvent> events = events(n);
    List<byte[]> out = new ArrayList<>(n);
    for (VirtEvent e : events) {
      out.add(SpooledEvent.encode(e, "bench", "0123456789abcdef", ContentMode.BINARY,
          System.currentTimeMillis()));
    }
    return out;
  }

  private static List<VirtEvent> events(int n) {
    EventStamper stamper = new EventStamper(SourceId.of("libvirt", "qemu:///system"));
    List<DomainRef> domains = domains();
    List<VirtEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(DomainEvent.of(stamper.next("LIFECYCLE/STARTED/BOOTED"), domains.get(i % DOMAINS),
          DomainEvent.Kind.STARTED, "BOOTED"));
    }
    return out;
  }

  private static List<DomainRef> domains() {
    List<DomainRef> d = new ArrayList<>();
    for (int i = 0; i < DOMAINS; i++) {
      d.add(DomainRef.of("vm-" + i).withId(i + 1).withUuid(UUID.nameUUIDFromBytes(
          ("vm-" + i).getBytes(StandardCharsets.UTF_8))));
    }
    return d;
  }

  /** Settings both paths share: the sink's defaults, repeated for the bare producer. */
  private static Map<String, Object> producerConfig(KafkaBroker broker) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", broker.bootstrapServers());
    c.put("acks", "all");
    c.put("enable.idempotence", true);
    c.put("linger.ms", 5);
    c.put("delivery.timeout.ms", 30_000);
    c.put("request.timeout.ms", 10_000);
    return c;
  }

  private static Run bare(KafkaBroker broker, String topic, List<byte[]> stored)
      throws InterruptedException {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      records.add(SpooledEvent.decode(stored.get(i)).toRecord(topic, i + 1));
    }
    CountDownLatch done = new CountDownLatch(records.size());
    AtomicLong failed = new AtomicLong();
    long t0;
    long t1;
    Cpu c0;
    Cpu c1;
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig(broker),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      c0 = Cpu.now(broker);
      t0 = System.nanoTime();
      for (ProducerRecord<byte[], byte[]> r : records) {
        p.send(r, (m, e) -> {
          if (e != null) {
            failed.incrementAndGet();
          }
          done.countDown();
        });
      }
      done.await();
      t1 = System.nanoTime();
      c1 = Cpu.now(broker);
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed + " bare sends failed");
    }
    int n = records.size();
    return new Run(n / ((t1 - t0) / 1e9), (c1.own - c0.own) / 1e3 / n,
        (c1.broker - c0.broker) / 1e3 / n, 0, 0);
  }

  private static Run sink(KafkaBroker broker, String topic, Path dir, int n, int publishers,
      boolean fsync) throws Exception {
    return sink(broker, topic, dir, n, publishers, fsync, 1);
  }

  /** A throughput run; with {@code batch} > 1 each publisher hands that many at a time. */
  private static Run sink(KafkaBroker broker, String topic, Path dir, int n, int publishers,
      boolean fsync, int batch) throws Exception {
    List<VirtEvent> events = events(n);
    long[] appendNanos = new long[n];
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(broker.bootstrapServers())
        .topic(topic).hostId("bench").spool(SpoolConfig.defaults(dir).withFsync(fsync)).build()
        .start()) {
      Cpu c0 = Cpu.now(broker);
      long t0 = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int first = p;
        Thread t = new Thread(() -> {
          // each publisher keeps per-domain order for its own share: domains are split by thread
          List<VirtEvent> pending = new ArrayList<>(batch);
          List<Integer> indexes = new ArrayList<>(batch);
          for (int i = first; i < n; i += publishers) {
            if (batch == 1) {
              long a = System.nanoTime();
              sink.publish(events.get(i));
              appendNanos[i] = System.nanoTime() - a;
              continue;
            }
            pending.add(events.get(i));
            indexes.add(i);
            if (pending.size() == batch || i + publishers >= n) {
              long a = System.nanoTime();
              sink.publishAll(pending);
              long took = System.nanoTime() - a;
              for (int index : indexes) {
                appendNanos[index] = took;
              }
              pending.clear();
              indexes.clear();
            }
          }
        }, "bench-publisher-" + p);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      while (sink.acknowledged() < n) {
        Thread.sleep(1);
      }
      long t1 = System.nanoTime();
      Cpu c1 = Cpu.now(broker);
      return new Run(n / ((t1 - t0) / 1e9), (c1.own - c0.own) / 1e3 / n,
          (c1.broker - c0.broker) / 1e3 / n, percentile(appendNanos, 50) / 1e6,
          percentile(appendNanos, 99) / 1e6);
    }
  }

  private record Latency(double p50, double p99, double max, double appendP50, double appendP99,
      int count) {}

  /** 1,000 events/s for {@code seconds}; each event carries its publish time in an attribute. */
  /**
   * {@code seconds} of 1,000 events/s, measured after as many again at the same rate unmeasured:
   * a first run showed the first seconds after a start (JIT, connections) at 300-600 ms.
   */
  private static Latency latency(KafkaBroker broker, Path dir, int seconds, int publishers)
      throws Exception {
    int warm = seconds * 1_000;
    int n = 2 * seconds * 1_000;
    long[] latency = new long[n];
    long[] append = new long[n];
    List<EventStamper> stampers = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      stampers.add(new EventStamper(SourceId.of("libvirt", "qemu:///system?thread=" + p)));
    }
    List<DomainRef> domains = domains();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
        broker.bootstrapServers(), "fetch.max.wait.ms", "5"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
         KafkaEventSink sink = KafkaEventSink.builder()
             .bootstrapServers(broker.bootstrapServers()).topic("latency").hostId("bench")
             .spool(SpoolConfig.defaults(dir)).build().start()) {
      List<TopicPartition> parts = new ArrayList<>();
      consumer.partitionsFor("latency").forEach(p -> parts.add(new TopicPartition("latency",
          p.partition())));
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      int[] received = {0};
      Thread reader = new Thread(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2L * seconds + 60);
        while (received[0] < n && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            long now = System.nanoTime();
            Matcher m = T0.matcher(new String(r.value(), StandardCharsets.UTF_8));
            if (m.find() && received[0] < n) {
              latency[received[0]++] = now - Long.parseLong(m.group(1));
            }
          }
        }
      }, "bench-consumer");
      reader.start();
      // a durable append waits for its group commit (an fsync, milliseconds on these disks), so
      // one thread alone cannot offer 1,000 events/s: the rate is split over the publishers, as
      // a host's feeds would publish from several threads
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int first = p;
        Thread t = new Thread(() -> {
          long interval = TimeUnit.MILLISECONDS.toNanos(1) * publishers;
          long next = System.nanoTime() + first * TimeUnit.MILLISECONDS.toNanos(1);
          for (int i = first; i < n; i += publishers) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            next += interval;
            long a = System.nanoTime();
            sink.publish(DomainEvent.of(stampers.get(first).next("LIFECYCLE/STARTED/BOOTED",
                Map.of("t0", Long.toString(a))), domains.get(i % DOMAINS),
                DomainEvent.Kind.STARTED, "BOOTED"));
            append[i] = System.nanoTime() - a;
          }
        }, "bench-latency-" + p);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      reader.join();
      long[] got = Arrays.copyOfRange(latency, Math.min(warm, received[0]), received[0]);
      long[] measuredAppends = Arrays.copyOfRange(append, warm, n);
      return new Latency(percentile(got, 50) / 1e6, percentile(got, 99) / 1e6,
          percentile(got, 100) / 1e6, percentile(measuredAppends, 50) / 1e6,
          percentile(measuredAppends, 99) / 1e6, got.length);
    }
  }

  private static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    long[] s = values.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  private static String stringArg(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
