package org.virthooks.benchmarks.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.virthooks.kafka.spool.SegmentSpool;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.spool.SpoolRecord;

/**
 * The spool comparison, side by side in one run: {@link SegmentSpool} against {@link SqliteSpool}
 * with ~500-byte payloads, 1 and 4 publishing threads, fsync with the default group commit
 * (256 records / 2 ms), fsync with no wait (interval 0: a group is whatever came during the last
 * fsync), and no fsync. A reader acknowledges as the sender would. Each cell is run
 * {@code rounds} times, the two implementations alternating, and prints the median and spread of
 * throughput and the publishing thread's append latency (p50, p99). Usage:
 * {@code benchmarks/run-spool.sh [seconds per run] [rounds]}.
 */
public final class SpoolReport {
  private static final int PAYLOAD = 500;

  private SpoolReport() {}

  /** The implementations compared. */
  private enum Kind { SEGMENT, SQLITE }

  /** One run's figures. */
  private record Run(double perSecond, double p50Micros, double p99Micros) {}

  /** Runs and prints a Markdown table; args: seconds per run (3), rounds (3). */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path root = Files.createTempDirectory(Path.of(args.length > 2 ? args[2] : "/var/tmp"),
        "virthooks-spool-bench");
    System.out.printf("spool comparison: %d B payloads, %d s a run, %d rounds, in %s%n%n",
        PAYLOAD, seconds, rounds, root);
    System.out.println("| mode | threads | segment log: appends/s | SQLite WAL: appends/s "
        + "| segment log: p50 / p99 µs | SQLite: p50 / p99 µs |");
    System.out.println("|---|---|---|---|---|---|");
    try {
      for (String mode : List.of("fsync, group 256 / 2 ms", "fsync, group 256 / 0 ms",
          "no fsync")) {
        for (int threads : new int[] {1, 4}) {
          List<Run> segment = new ArrayList<>();
          List<Run> sqlite = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            segment.add(run(Kind.SEGMENT, config(root, mode), threads, seconds));
            sqlite.add(run(Kind.SQLITE, config(root, mode), threads, seconds));
          }
          System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", mode, threads,
              rate(segment), rate(sqlite), latency(segment), latency(sqlite));
        }
      }
    } finally {
      delete(root);
    }
  }

  private static SpoolConfig config(Path root, String mode) throws IOException {
    SpoolConfig config = SpoolConfig.defaults(Files.createTempDirectory(root, "run"));
    if (mode.startsWith("no fsync")) {
      return config.withFsync(false);
    }
    return mode.contains("/ 0 ms") ? config.withGroupCommit(256, Duration.ZERO) : config;
  }

  private static Run run(Kind kind, SpoolConfig config, int threads, int seconds)
      throws Exception {
    try (Spool spool = kind == Kind.SEGMENT ? SegmentSpool.open(config)
        : SqliteSpool.open(config, (from, to, count) -> { })) {
      Thread sender = new Thread(() -> acknowledgeAll(spool), "bench-sender");
      sender.setDaemon(true);
      sender.start();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long[][] latencies = new long[threads][];
      int[] counts = new int[threads];
      CountDownLatch done = new CountDownLatch(threads);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        new Thread(() -> {
          byte[] payload = new byte[PAYLOAD];
          ThreadLocalRandom.current().nextBytes(payload);
          long[] mine = new long[1 << 16];
          int n = 0;
          try {
            while (System.nanoTime() < end) {
              long start = System.nanoTime();
              spool.append(payload);
              long took = System.nanoTime() - start;
              if (n == mine.length) {
                mine = Arrays.copyOf(mine, n * 2);
              }
              mine[n++] = took;
            }
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          } finally {
            latencies[thread] = mine;
            counts[thread] = n;
            done.countDown();
          }
        }, "bench-append-" + t).start();
      }
      done.await();
      sender.interrupt();
      sender.join();
      long total = Arrays.stream(counts).sum();
      long[] all = new long[(int) total];
      int at = 0;
      for (int t = 0; t < threads; t++) {
        System.arraycopy(latencies[t], 0, all, at, counts[t]);
        at += counts[t];
      }
      Arrays.sort(all);
      return new Run(total / (double) seconds, all[(int) (all.length * 0.50)] / 1000.0,
          all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1000.0);
    }
  }

  /** The sender's part: read what is there, acknowledge it, so that the bound never binds. */
  static void acknowledgeAll(Spool spool) {
    try {
      long next = 1;
      while (!Thread.currentThread().isInterrupted()) {
        if (!spool.awaitRecord(next, Duration.ofMillis(50))) {
          continue;
        }
        List<SpoolRecord> batch = spool.read(next, 2000, 1 << 20);
        if (!batch.isEmpty()) {
          next = batch.get(batch.size() - 1).sequence() + 1;
          spool.acknowledge(next - 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rate(List<Run> runs) {
    double[] v = runs.stream().mapToDouble(Run::perSecond).sorted().toArray();
    return String.format(Locale.ROOT, "%s (%s–%s)", human(v[v.length / 2]), human(v[0]),
        human(v[v.length - 1]));
  }

  private static String latency(List<Run> runs) {
    double[] p50 = runs.stream().mapToDouble(Run::p50Micros).sorted().toArray();
    double[] p99 = runs.stream().mapToDouble(Run::p99Micros).sorted().toArray();
    return String.format(Locale.ROOT, "%.1f / %.1f (p99 %.0f–%.0f)", p50[p50.length / 2],
        p99[p99.length / 2], p99[0], p99[p99.length - 1]);
  }

  private static String human(double perSecond) {
    return perSecond >= 10_000 ? String.format(Locale.ROOT, "%.0f k", perSecond / 1000)
        : String.format(Locale.ROOT, "%.0f", perSecond);
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
