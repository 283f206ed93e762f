package org.virthooks.kafka.spool;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.kafka.spool.internal.Checkpoint;
import org.virthooks.kafka.spool.internal.Frame;
import org.virthooks.kafka.spool.internal.Segment;

/** What only the segment log has: its files, their recovery, a failing disk. */
class SegmentSpoolTest {
  private static final int PAYLOAD = 100;
  private static final int FRAME = Frame.HEADER + PAYLOAD;

  @TempDir Path dir;

  private SpoolConfig config() {
    return SpoolConfig.defaults(dir).withMaxBytes(64 * 1024).withFsync(false);
  }

  private static byte[] payload(int i) {
    byte[] bytes = String.format("%-" + PAYLOAD + "s", "r" + i).getBytes(UTF_8);
    return bytes;
  }

  private void fill(int records) throws Exception {
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      for (int i = 1; i <= records; i++) {
        assertThat(spool.append(payload(i))).isEqualTo(i);
      }
    }
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> Segment.baseOf(f) > 0).sorted().toList();
    }
  }

  @Test
  void aTailTornMidRecordIsCutAndReported() throws Exception {
    fill(10);
    Path segment = segmentFiles().get(0);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(10L * FRAME - 50);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      Recovery recovery = spool.recovery();
      assertThat(recovery.recordsKept()).isEqualTo(9);
      assertThat(recovery.bytesCut()).isEqualTo(FRAME - 50);
      assertThat(recovery.message()).contains(segment.getFileName().toString())
          .contains("offset " + 9 * FRAME).contains("sequence 10").contains("kept 9");
      assertThat(spool.read(1, 100, 1 << 20)).hasSize(9);
      assertThat(spool.append(payload(10))).isEqualTo(10);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().isClean()).isTrue();
      assertThat(spool.read(1, 100, 1 << 20)).extracting(SpoolRecord::sequence)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }
  }

  @Test
  void aFlippedByteCutsFromItsRecordOn() throws Exception {
    fill(10);
    Path segment = segmentFiles().get(0);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      long at = 4L * FRAME + Frame.HEADER + 7;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x10);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().recordsKept()).isEqualTo(4);
      assertThat(spool.recovery().bytesCut()).isEqualTo(6L * FRAME);
      assertThat(spool.recovery().message()).contains("sequence 5").contains("checksum");
      assertThat(spool.nextSequence()).isEqualTo(5);
    }
  }

  @Test
  void aBadFrameInAnOlderSegmentCutsEverySegmentAfterIt() throws Exception {
    fill(200);  // 8 KiB segments: three of them
    List<Path> before = segmentFiles();
    assertThat(before).hasSizeGreaterThanOrEqualTo(3);
    long total = 0;
    for (Path file : before) {
      total += Files.size(file);
    }
    try (RandomAccessFile file = new RandomAccessFile(before.get(0).toFile(), "rw")) {
      file.seek(2L * FRAME);  // record 3's length field
      file.writeInt(1 << 30);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().recordsKept()).isEqualTo(2);
      assertThat(spool.recovery().bytesCut()).isEqualTo(total - 2L * FRAME);
      assertThat(spool.recovery().message()).contains("sequence 3");
      assertThat(segmentFiles()).containsExactly(before.get(0));
    }
  }

  @Test
  void acknowledgedSegmentsAreDeletedAndTheCheckpointKeepsTheNumbering() throws Exception {
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      for (int i = 1; i <= 200; i++) {
        spool.append(payload(i));
      }
      assertThat(segmentFiles()).hasSizeGreaterThanOrEqualTo(3);
      spool.acknowledge(199);
    }
    assertThat(segmentFiles()).hasSize(1);  // the one holding 200
    assertThat(Checkpoint.read(dir)).hasValue(200);
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().recordsKept()).isEqualTo(1);
      spool.acknowledge(200);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.nextSequence()).isEqualTo(201);
    }
  }

  @Test
  void aFullDiskFailsThatAppendAndLeavesTheSpoolWhole() throws Exception {
    FailingDisk disk = new FailingDisk();
    try (SegmentSpool spool = SegmentSpool.open(config().withFsync(true), (f, t, c) -> { }, disk)) {
      assertThat(spool.append(payload(1))).isEqualTo(1);
      disk.full = true;
      assertThatThrownBy(() -> spool.append(payload(2))).isInstanceOf(IOException.class)
          .hasMessageContaining("not kept").hasMessageContaining("No space left on device");
      assertThat(spool.nextSequence()).isEqualTo(2);
      assertThat(spool.depthRecords()).isEqualTo(1);
      disk.full = false;
      assertThat(spool.append(payload(2))).isEqualTo(2);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().isClean()).isTrue();
      assertThat(spool.read(1, 10, 1 << 20)).extracting(r -> new String(r.payload(), UTF_8).trim())
          .containsExactly("r1", "r2");
    }
  }

  @Test
  void aFullDiskRefusesTheGroupAndEveryAppendBehindItAndTheSpoolGoesOnFromItsLastRecord()
      throws Exception {
    FailingDisk disk = new FailingDisk();
    int kept = 65;  // a segment holds 70 of these frames: the appends behind spill into a new one
    ExecutorService publishers = Executors.newFixedThreadPool(11);
    try (SegmentSpool spool = SegmentSpool.open(config().withFsync(true), (f, t, c) -> { },
        disk)) {
      for (int i = 1; i <= kept; i++) {
        spool.append(payload(i));
      }
      assertThat(segmentFiles()).hasSize(1);
      disk.gate = new CountDownLatch(1);
      List<Future<Long>> refused = new ArrayList<>();
      refused.add(publishers.submit(() -> spool.append(payload(0))));
      assertThat(disk.writing.await(10, TimeUnit.SECONDS)).isTrue();  // the committer writes
      for (int i = 0; i < 10; i++) {
        refused.add(publishers.submit(() -> spool.append(payload(0))));
      }
      await(() -> spool.nextSequence() == kept + 12);  // all placed, one group writing
      assertThat(segmentFiles()).hasSize(2);
      disk.full = true;
      CountDownLatch gate = disk.gate;
      disk.gate = null;
      gate.countDown();
      for (Future<Long> append : refused) {
        assertThatThrownBy(append::get).hasCauseInstanceOf(IOException.class)
            .hasMessageContaining("not kept").hasMessageContaining("No space left on device");
      }
      assertThat(spool.nextSequence()).isEqualTo(kept + 1);
      assertThat(spool.depthRecords()).isEqualTo(kept);
      assertThat(segmentFiles()).hasSize(1);
      disk.full = false;
      assertThat(spool.append(payload(kept + 1))).isEqualTo(kept + 1);
      assertThat(spool.read(kept, 10, 1 << 20)).extracting(SpoolRecord::sequence)
          .containsExactly((long) kept, (long) kept + 1);
    } finally {
      publishers.shutdownNow();
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().isClean()).isTrue();
      assertThat(spool.nextSequence()).isEqualTo(kept + 2);
      assertThat(new String(spool.read(kept + 1, 1, 1 << 20).get(0).payload(), UTF_8).trim())
          .isEqualTo("r" + (kept + 1));
    }
  }

  @Test
  void aFailedFsyncFailsItsGroupAndEveryAppendPlacedMeanwhileAndNothingAfterIsCalledDurable()
      throws Exception {
    FailingDisk disk = new FailingDisk();
    ExecutorService publishers = Executors.newFixedThreadPool(6);
    try (SegmentSpool spool = SegmentSpool.open(config().withFsync(true), (f, t, c) -> { },
        disk)) {
      assertThat(spool.append(payload(1))).isEqualTo(1);
      disk.gate = new CountDownLatch(1);
      List<Future<Long>> appends = new ArrayList<>();
      appends.add(publishers.submit(() -> spool.append(payload(2))));
      assertThat(disk.writing.await(10, TimeUnit.SECONDS)).isTrue();  // the committer writes 2
      for (int i = 0; i < 5; i++) {
        appends.add(publishers.submit(() -> spool.append(payload(0))));
      }
      await(() -> spool.nextSequence() == 8);  // 3..7 placed behind the group being committed
      disk.fsyncFailures = 1;  // one fails: a later fsync that succeeds must not cover it
      CountDownLatch gate = disk.gate;
      disk.gate = null;
      gate.countDown();
      for (Future<Long> append : appends) {
        assertThatThrownBy(() -> append.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IOException.class).hasMessageContaining("may not be durable")
            .hasMessageContaining("Input/output error");
      }
      // the records of the failed group and after stay unread: only record 1 was durable
      assertThat(spool.read(1, 10, 1 << 20)).extracting(SpoolRecord::sequence)
          .containsExactly(1L);
      assertThatThrownBy(() -> spool.append(payload(9))).isInstanceOf(IOException.class)
          .hasMessageContaining("takes no more appends");
      assertThatThrownBy(() -> spool.acknowledge(2)).isInstanceOf(IllegalArgumentException.class);
    } finally {
      publishers.shutdownNow();
    }
  }

  @Test
  void aBatchTheDiskRefusesHalfWayIsKeptNotAtAll() throws Exception {
    // without fsync an appender writes frame by frame: the third write of the batch fails
    FailingDisk disk = new FailingDisk();
    try (SegmentSpool spool = SegmentSpool.open(config(), (f, t, c) -> { }, disk)) {
      assertThat(spool.append(payload(1))).isEqualTo(1);
      disk.writesBeforeFull = 2;
      assertThatThrownBy(() -> spool.appendAll(List.of(payload(2), payload(3), payload(4))))
          .isInstanceOf(IOException.class).hasMessageContaining("not kept")
          .hasMessageContaining("No space left on device");
      assertThat(spool.nextSequence()).isEqualTo(2);
      assertThat(spool.depthRecords()).isEqualTo(1);
      disk.full = false;
      assertThat(spool.appendAll(List.of(payload(2), payload(3)))).isEqualTo(2);
    }
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.recovery().isClean()).isTrue();
      assertThat(spool.read(1, 10, 1 << 20)).extracting(r -> new String(r.payload(), UTF_8).trim())
          .containsExactly("r1", "r2", "r3");
    }
  }

  @Test
  void aDropIsReportedEvenWhenTheAppendThatMadeItIsRefused() throws Exception {
    FailingDisk disk = new FailingDisk();
    List<long[]> drops = new ArrayList<>();
    SpoolConfig config = config().withFullPolicy(FullPolicy.DROP_OLDEST);
    try (SegmentSpool spool = SegmentSpool.open(config, (f, t, c) -> drops.add(new long[] {f, t,
        c}), disk)) {
      long n = 0;
      while (drops.isEmpty()) {
        n = spool.append(payload((int) n + 1));
      }
      drops.clear();
      while (spool.depthBytes() + FRAME <= config.maxBytes()) {
        n = spool.append(payload((int) n + 1));
      }
      assertThat(drops).isEmpty();
      long depth = spool.depthRecords();
      disk.full = true;
      // the next append has to drop to make room, then the disk refuses its write
      assertThatThrownBy(() -> spool.append(payload(0))).hasMessageContaining("not kept");
      assertThat(drops).as("the loss was reported").hasSize(1);
      long[] drop = drops.get(0);
      assertThat(drop[2]).isEqualTo(drop[1] - drop[0] + 1);
      assertThat(spool.depthRecords()).isEqualTo(depth - drop[2]);
      assertThat(spool.nextSequence()).isEqualTo(n + 1);
    }
  }

  @Test
  void aLonePublisherDoesNotWaitForTheGroupInterval() throws Exception {
    // a group is committed at the size of the last one: one publisher makes groups of one and
    // never waits for the interval (ten minutes here), nor for 256 appends
    SpoolConfig config = config().withFsync(true).withGroupCommit(256, Duration.ofMinutes(10));
    try (SegmentSpool spool = SegmentSpool.open(config)) {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        for (int i = 1; i <= 5; i++) {
          assertThat(spool.append(payload(i))).isEqualTo(i);
        }
      });
      assertThat(spool.read(1, 10, 1 << 20)).hasSize(5);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within 10 s").isNegative();
      Thread.sleep(5);
    }
  }

  @Test
  void aDamagedCheckpointIsAClearErrorNotASilentRestart() throws Exception {
    fill(3);
    Files.write(dir.resolve(Checkpoint.FILE), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> SegmentSpool.open(config())).isInstanceOf(IOException.class)
        .hasMessageContaining("checkpoint");
    // the failed open let go of the directory
    Files.delete(dir.resolve(Checkpoint.FILE));
    try (SegmentSpool spool = SegmentSpool.open(config())) {
      assertThat(spool.depthRecords()).isEqualTo(3);
    }
  }

  @Test
  void dropOldestNeedsAListener() {
    assertThatThrownBy(() -> SegmentSpool.open(config().withFullPolicy(FullPolicy.DROP_OLDEST)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
