package org.virthooks.kafka.spool;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.kafka.spool.Spool.DropListener;

/**
 * The {@link Spool} contract, for every implementation: extend it and say how to open one. The
 * crash test runs {@link SpoolCrashChild} in a child JVM with this class's subclass, so a
 * subclass needs a public no-argument constructor.
 */
public abstract class SpoolCompatibilityKit {
  private static final Pattern PRINTED = Pattern.compile("^S(\\d+)E$");
  private static final DropListener NO_DROPS = (from, to, count) -> {
    throw new AssertionError("dropped " + from + ".." + to + " under BLOCK");
  };

  @TempDir protected Path dir;

  /** Opens the implementation under test on {@code config}, reporting drops to {@code onDrop}. */
  protected abstract Spool open(SpoolConfig config, DropListener onDrop) throws IOException;

  /** A small spool: 64 KiB, BLOCK for 200 ms, no fsync (the tests' speed), small groups. */
  protected SpoolConfig config() {
    return SpoolConfig.defaults(dir).withMaxBytes(64 * 1024).withFsync(false)
        .withBlockTimeout(Duration.ofMillis(200)).withGroupCommit(16, Duration.ofMillis(1));
  }

  @Test
  void sequencesStartAtOneAndContinueAcrossReopenEvenWhenAllWasAcknowledged() throws Exception {
    try (Spool spool = open(config(), NO_DROPS)) {
      assertThat(spool.nextSequence()).isEqualTo(1);
      assertThat(append(spool, "a")).isEqualTo(1);
      assertThat(append(spool, "b")).isEqualTo(2);
      assertThat(append(spool, "c")).isEqualTo(3);
    }
    try (Spool spool = open(config(), NO_DROPS)) {
      assertThat(spool.recovery().isClean()).isTrue();
      assertThat(spool.recovery().recordsKept()).isEqualTo(3);
      assertThat(payloads(spool.read(1, 10, 1 << 20))).containsExactly("a", "b", "c");
      assertThat(spool.nextSequence()).isEqualTo(4);
      spool.acknowledge(3);
      assertThat(spool.depthRecords()).isZero();
    }
    try (Spool spool = open(config(), NO_DROPS)) {
      assertThat(spool.read(1, 10, 1 << 20)).isEmpty();
      assertThat(spool.firstUnacknowledged()).isEqualTo(4);
      assertThat(append(spool, "d")).isEqualTo(4);
    }
  }

  @Test
  void acknowledgedRecordsAreNeverReadAgainAndFreeTheirRoom() throws Exception {
    SpoolConfig config = config();
    byte[] kilobyte = new byte[1000];
    try (Spool spool = open(config, NO_DROPS)) {
      // eight times the bound goes through when the reader keeps up: acknowledged bytes are freed
      for (int i = 0; i < 8 * 64; i++) {
        long sequence = spool.append(kilobyte);
        spool.acknowledge(sequence);
      }
      append(spool, "x");
      append(spool, "y");
      assertThat(spool.depthRecords()).isEqualTo(2);
      assertThat(spool.depthBytes()).isBetween(2L, 200L);
      assertThat(spool.firstUnacknowledged()).isEqualTo(8 * 64 + 1);
      assertThat(payloads(spool.read(1, 10, 1 << 20))).containsExactly("x", "y");
      spool.acknowledge(8 * 64 + 1);
      assertThat(spool.depthRecords()).isEqualTo(1);
    }
    try (Spool spool = open(config, NO_DROPS)) {
      assertThat(payloads(spool.read(1, 10, 1 << 20))).containsExactly("y");
      assertThat(spool.firstUnacknowledged()).isEqualTo(8 * 64 + 2);
    }
  }

  @Test
  void readsRewindAndKeepTheirBounds() throws Exception {
    try (Spool spool = open(config(), NO_DROPS)) {
      for (int i = 1; i <= 10; i++) {
        append(spool, "r" + i);
      }
      assertThat(sequences(spool.read(1, 4, 1 << 20))).containsExactly(1L, 2L, 3L, 4L);
      assertThat(sequences(spool.read(5, 100, 1 << 20))).hasSize(6).startsWith(5L).endsWith(10L);
      // the sender rewinds to the lowest unacknowledged after a failed send: same records
      assertThat(payloads(spool.read(3, 2, 1 << 20))).containsExactly("r3", "r4");
      assertThat(sequences(spool.read(11, 10, 1 << 20))).isEmpty();
      // a byte bound gives at least one record
      assertThat(sequences(spool.read(2, 10, 1))).containsExactly(2L);
      spool.acknowledge(6);
      // from below the oldest kept starts at the oldest kept
      assertThat(sequences(spool.read(1, 2, 1 << 20))).containsExactly(7L, 8L);
    }
  }

  @Test
  void blockWaitsItsBoundThenRefusesAndAnAcknowledgementMakesRoom() throws Exception {
    try (Spool spool = open(config(), NO_DROPS)) {
      byte[] kilobyte = new byte[1000];
      long last = 0;
      try {
        while (true) {
          last = spool.append(kilobyte);
        }
      } catch (SpoolFullException expected) {
        assertThat(expected).hasMessageContaining("full");
      }
      assertThat(last).isGreaterThan(40);
      assertThat(spool.nextSequence()).isEqualTo(last + 1);
      assertThat(spool.depthBytes()).isLessThanOrEqualTo(64 * 1024);

      // a publisher waiting for room goes on once the sender acknowledges
      SpoolConfig patient = config().withBlockTimeout(Duration.ofSeconds(30));
      spool.close();
      try (Spool again = open(patient, NO_DROPS)) {
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        try {
          Future<Long> waiting = publisher.submit(() -> again.append(kilobyte));
          Thread.sleep(100);
          assertThat(waiting).isNotDone();
          again.acknowledge(10);
          assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(last + 1);
        } finally {
          publisher.shutdownNow();
          assertThat(publisher.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
      }
    }
  }

  @Test
  void aRecordLargerThanTheSpoolIsRefusedAtOnce() throws Exception {
    try (Spool spool = open(config(), NO_DROPS)) {
      assertThatThrownBy(() -> spool.append(new byte[64 * 1024 + 1]))
          .isInstanceOf(SpoolFullException.class);
      assertThat(append(spool, "small")).isEqualTo(1);
    }
  }

  @Test
  void dropOldestReportsEveryLossWithItsExactRangeAndCount() throws Exception {
    List<long[]> drops = new CopyOnWriteArrayList<>();
    List<Long> markers = new CopyOnWriteArrayList<>();
    Spool[] holder = new Spool[1];
    DropListener listener = (from, to, count) -> {
      drops.add(new long[] {from, to, count});
      try {
        // what the sink does: a loss marker, appended from the listener
        markers.add(holder[0].append(("lost " + from + ".." + to).getBytes(UTF_8)));
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    };
    SpoolConfig config = config().withFullPolicy(FullPolicy.DROP_OLDEST);
    Map<Long, String> appended = new HashMap<>();
    try (Spool spool = open(config, listener)) {
      holder[0] = spool;
      for (int i = 0; i < 500; i++) {
        String payload = "event-" + i + "-" + "x".repeat(ThreadLocalRandom.current().nextInt(900));
        appended.put(spool.append(payload.getBytes(UTF_8)), payload);
      }
      assertThat(drops).isNotEmpty();
      long expectedFrom = 1;
      long droppedCount = 0;
      for (long[] drop : drops) {
        assertThat(drop[0]).as("ranges follow each other from the oldest").isEqualTo(expectedFrom);
        assertThat(drop[2]).isEqualTo(drop[1] - drop[0] + 1).isPositive();
        expectedFrom = drop[1] + 1;
        droppedCount += drop[2];
      }
      List<SpoolRecord> kept = readAll(spool);
      assertThat(kept.get(0).sequence()).isEqualTo(expectedFrom);
      assertThat(sequences(kept)).doesNotHaveDuplicates();
      assertThat(droppedCount + kept.size()).isEqualTo(spool.nextSequence() - 1);
      for (SpoolRecord record : kept) {
        String payload = new String(record.payload(), UTF_8);
        assertThat(payload).isEqualTo(markers.contains(record.sequence())
            ? payload : appended.get(record.sequence()));
      }
      assertThat(spool.depthBytes()).isLessThanOrEqualTo(64 * 1024);
    }
  }

  @Test
  void closingWakesAReaderWaitingForARecord() throws Exception {
    Spool spool = open(config(), NO_DROPS);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<Boolean> waiting = reader.submit(() -> {
        started.countDown();
        return spool.awaitRecord(1, Duration.ofMinutes(5));
      });
      started.await();
      Thread.sleep(50);
      assertThat(waiting).isNotDone();
      spool.close();
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
    } finally {
      spool.close();
      reader.shutdownNow();
      assertThat(reader.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void awaitRecordAnswersOnceARecordIsThere() throws Exception {
    try (Spool spool = open(config().withFsync(true), NO_DROPS)) {
      assertThat(spool.awaitRecord(1, Duration.ofMillis(20))).isFalse();
      append(spool, "now");
      assertThat(spool.awaitRecord(1, Duration.ZERO)).isTrue();
      assertThat(payloads(spool.read(1, 1, 1 << 20))).containsExactly("now");
    }
  }

  @Test
  void anInterruptedReaderOrPublisherLeavesTheSpoolWorking() throws Exception {
    try (Spool spool = open(config().withFsync(true), NO_DROPS)) {
      append(spool, "a");
      // a sender shut down with shutdownNow, a publisher's thread interrupted mid-append: the
      // spool must not close a file under everyone else (as an interruptible channel would)
      Thread.currentThread().interrupt();
      try {
        spool.read(1, 10, 1 << 20);
      } catch (IOException refused) {
        // either answer is fine; what follows is the test
      } finally {
        Thread.interrupted();
      }
      Thread.currentThread().interrupt();
      try {
        append(spool, "b");
      } catch (InterruptedException refused) {
        // an interrupted publisher may be refused before anything is written
      } finally {
        Thread.interrupted();
      }
      long c = append(spool, "c");
      List<String> read = payloads(spool.read(1, 10, 1 << 20));
      assertThat(read).startsWith("a").endsWith("c").hasSize((int) c);
    }
  }

  @Test
  void concurrentAppendersLoseAndRepeatNoSequence() throws Exception {
    int threads = 4;
    int each = 2000;
    SpoolConfig config = config().withMaxBytes(16L << 20);
    Map<Long, String> returned = new ConcurrentHashMap<>();
    try (Spool spool = open(config, NO_DROPS)) {
      inThreads(threads, thread -> {
        for (int i = 0; i < each; i++) {
          String payload = "t" + thread + "-" + i;
          String before = returned.put(spool.append(payload.getBytes(UTF_8)), payload);
          assertThat(before).as("a sequence returned twice").isNull();
        }
      });
      assertThat(returned).hasSize(threads * each);
      List<SpoolRecord> all = readAll(spool);
      assertThat(sequences(all)).hasSize(threads * each);
      for (SpoolRecord record : all) {
        assertThat(new String(record.payload(), UTF_8)).isEqualTo(returned.get(record.sequence()));
      }
    }
    try (Spool spool = open(config, NO_DROPS)) {
      assertThat(spool.nextSequence()).isEqualTo(threads * each + 1L);
    }
  }

  @Test
  void aBatchTakesConsecutiveSequencesAmongConcurrentAppenders() throws Exception {
    for (boolean fsync : new boolean[] {false, true}) {
      SpoolConfig config = config().withMaxBytes(16L << 20).withFsync(fsync)
          .withDirectory(dir.resolve("fsync-" + fsync));
      Map<Long, String> returned = new ConcurrentHashMap<>();
      try (Spool spool = open(config, NO_DROPS)) {
        inThreads(4, thread -> {
          for (int b = 0; b < 50; b++) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 1 + (b % 7); i++) {
              batch.add(("t" + thread + "-b" + b + "-" + i).getBytes(UTF_8));
            }
            long first = spool.appendAll(batch);
            for (int i = 0; i < batch.size(); i++) {
              assertThat(returned.put(first + i, new String(batch.get(i), UTF_8)))
                  .as("a sequence given twice").isNull();
            }
          }
        });
        List<SpoolRecord> all = readAll(spool);
        assertThat(all).hasSize(returned.size());
        for (SpoolRecord record : all) {
          assertThat(new String(record.payload(), UTF_8))
              .isEqualTo(returned.get(record.sequence()));
        }
      }
    }
  }

  @Test
  void aBatchLargerThanTheSpoolOrEmptyIsRefusedAndKeepsNothing() throws Exception {
    try (Spool spool = open(config(), NO_DROPS)) {
      append(spool, "before");
      List<byte[]> tooBig = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        tooBig.add(new byte[1000]);  // each fits, the 80 KB together exceed 64 KiB
      }
      assertThatThrownBy(() -> spool.appendAll(tooBig)).isInstanceOf(SpoolFullException.class)
          .hasMessageContaining("batch");
      assertThatThrownBy(() -> spool.appendAll(List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(spool.nextSequence()).isEqualTo(2);
      assertThat(append(spool, "after")).isEqualTo(2);
    }
  }

  @Test
  void aSecondSpoolCannotOpenTheSameDirectory() throws Exception {
    try (Spool spool = open(config(), NO_DROPS)) {
      assertThatThrownBy(() -> open(config(), NO_DROPS)).isInstanceOf(IOException.class)
          .hasMessageContaining(dir.toString());
      append(spool, "still mine");
    }
    try (Spool spool = open(config(), NO_DROPS)) {
      assertThat(spool.depthRecords()).isEqualTo(1);
    }
  }

  @Test
  void aKilledJvmLosesNoRecordWhoseAppendReturned() throws Exception {
    long lastPrinted = 0;
    for (int round = 0; round < 3; round++) {
      Set<Long> printed = runAndKill(ThreadLocalRandom.current().nextInt(50, 400));
      assertThat(printed).as("round %d printed nothing", round).isNotEmpty();
      assertThat(printed.stream().mapToLong(Long::longValue).min().orElseThrow())
          .as("numbering continues after the crash").isGreaterThan(lastPrinted);
      try (Spool spool = open(SpoolConfig.defaults(dir), NO_DROPS)) {
        Map<Long, String> kept = new HashMap<>();
        for (SpoolRecord record : readAll(spool)) {
          kept.put(record.sequence(), new String(record.payload(), UTF_8));
        }
        for (long sequence : printed) {
          assertThat(kept.get(sequence)).as("record %d (round %d; %s)", sequence, round,
              spool.recovery()).startsWith("crash-");
        }
        lastPrinted = printed.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(spool.nextSequence()).isGreaterThan(lastPrinted);
      }
    }
  }

  /** Starts the child, lets it append for {@code millis} after its first record, kills it. */
  private Set<Long> runAndKill(int millis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        SpoolCrashChild.class.getName(), getClass().getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Set<Long> printed = ConcurrentHashMap.newKeySet();
    CountDownLatch first = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          Matcher m = PRINTED.matcher(line);
          if (m.matches()) {  // a line cut by the kill has no E: its append may not have returned
            printed.add(Long.parseLong(m.group(1)));
            first.countDown();
          }
        }
      } catch (IOException e) {
        // the pipe closed with the kill
      }
    }, "crash-test-reader");
    reader.start();
    try {
      assertThat(first.await(30, TimeUnit.SECONDS)).as("the child appended nothing").isTrue();
      Thread.sleep(millis);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      reader.join(30_000);
    }
    return printed;
  }

  private static long append(Spool spool, String payload) throws Exception {
    return spool.append(payload.getBytes(UTF_8));
  }

  private static List<SpoolRecord> readAll(Spool spool) throws IOException {
    List<SpoolRecord> all = new ArrayList<>();
    long from = spool.firstUnacknowledged();
    while (true) {
      List<SpoolRecord> batch = spool.read(from, 1000, 1 << 20);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      from = batch.get(batch.size() - 1).sequence() + 1;
    }
  }

  private static List<String> payloads(List<SpoolRecord> records) {
    return records.stream().map(r -> new String(r.payload(), UTF_8)).toList();
  }

  private static List<Long> sequences(List<SpoolRecord> records) {
    return records.stream().map(SpoolRecord::sequence).toList();
  }

  /** What one of {@link #inThreads}'s threads does, given its index. */
  @FunctionalInterface
  protected interface ThreadBody {
    void run(int thread) throws Exception;
  }

  /** Runs {@code body} on {@code threads} threads at once and rethrows the first failure. */
  protected static void inThreads(int threads, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          body.run(thread);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
