package org.virthooks.benchmarks.spool;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.virthooks.kafka.spool.SegmentSpool;
import org.virthooks.kafka.spool.SpoolConfig;

/**
 * The spool under many publishing threads: appends a second, CPU time per append and thread
 * switches per append (publishers apart from the rest), three rounds. Where a group commit's
 * cost goes on a given machine. Usage (from {@code benchmarks/target/benchmarks.jar}):
 * {@code SpoolThreadsHarness THREADS SECONDS [fsync=true] [directory=/var/tmp]}.
 */
public final class SpoolThreadsHarness {
  private static final int PAYLOAD = 500;

  private SpoolThreadsHarness() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    boolean fsync = args.length < 3 || Boolean.parseBoolean(args[2]);
    Path root = Path.of(args.length > 3 ? args[3] : "/var/tmp");
    OperatingSystemMXBean os = (OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    for (int round = 1; round <= 3; round++) {
      Path dir = Files.createTempDirectory(root, "virthooks-spool-threads");
      try (SegmentSpool spool = SegmentSpool.open(SpoolConfig.defaults(dir).withFsync(fsync))) {
        Thread reader = new Thread(() -> SpoolReport.acknowledgeAll(spool),
            "harness-reader");
        reader.start();
        AtomicLong appends = new AtomicLong();
        AtomicLong publisherSwitches = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long othersBefore = switchesOfLiveThreads();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Thread publisher = new Thread(() -> {
            byte[] payload = new byte[PAYLOAD];
            long n = 0;
            try {
              while (System.nanoTime() < end) {
                spool.append(payload);
                n++;
              }
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            appends.addAndGet(n);
            // a thread's counters go with it: read them before it ends
            publisherSwitches.addAndGet(switches(Path.of("/proc/thread-self/status")));
          }, "harness-publisher-" + t);
          publisher.start();
          publishers.add(publisher);
        }
        for (Thread publisher : publishers) {
          publisher.join();
        }
        long wall = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long others = switchesOfLiveThreads() - othersBefore;
        reader.interrupt();
        reader.join();
        long n = appends.get();
        System.out.printf(Locale.ROOT, "round %d: %d threads, fsync %s: %,.0f appends/s, %.1f µs "
            + "CPU per append (%.2f cores), thread switches per append: publishers %.2f, "
            + "others %.2f%n", round, threads, fsync, n * 1e9 / wall, cpu / 1e3 / n,
            (double) cpu / wall, (double) publisherSwitches.get() / n, (double) others / n);
      } finally {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path file : files) {
            Files.deleteIfExists(file);
          }
        }
        Files.deleteIfExists(dir);
      }
    }
  }

  private static long switchesOfLiveThreads() throws Exception {
    long n = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        n += switches(task.resolve("status"));
      }
    }
    return n;
  }

  /** Voluntary plus involuntary context switches from a /proc status file; 0 if it is gone. */
  private static long switches(Path status) {
    try {
      long n = 0;
      for (String line : Files.readAllLines(status)) {
        if (line.contains("ctxt_switches")) {
          n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return n;
    } catch (Exception e) {
      return 0;
    }
  }
}
