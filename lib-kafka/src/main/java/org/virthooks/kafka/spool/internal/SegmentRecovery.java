package org.virthooks.kafka.spool.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.virthooks.kafka.spool.Recovery;

/**
 * Opens a spool directory as a crash left it: drops segments wholly below the checkpoint, scans
 * the rest, and cuts the log at the first frame that fails its checks, with every segment after
 * it (nothing after a bad frame was ever reported durable: a group commit forces all segments
 * before it answers).
 *
 * @param segments the segments kept, in order, each open; the last one is the one to append to
 * @param firstKept the lowest sequence kept
 * @param nextSequence the sequence the next append gets
 * @param recovery what was kept and cut
 */
public record SegmentRecovery(List<Segment> segments, long firstKept, long nextSequence,
    Recovery recovery) {

  /** Recovers {@code directory}, creating a first segment when there is none to append to. */
  public static SegmentRecovery open(Path directory, int maxPayload, ChannelOpener opener)
      throws IOException {
    Files.deleteIfExists(directory.resolve("checkpoint.tmp"));
    long floor = Checkpoint.read(directory).orElse(1);
    List<Long> bases = segmentBases(directory);
    List<Segment> kept = new ArrayList<>();
    long bytesCut = 0;
    StringBuilder message = new StringBuilder();
    try {
      for (int i = 0; i < bases.size(); i++) {
        long base = bases.get(i);
        Path path = directory.resolve(Segment.fileName(base));
        boolean belowFloor = i + 1 < bases.size() && bases.get(i + 1) <= floor;
        if (belowFloor) {
          Files.delete(path);  // acknowledged, checkpointed, not yet deleted when the JVM stopped
          continue;
        }
        if (message.length() > 0) {
          bytesCut += Files.size(path);  // after the cut: never reported durable
          Files.delete(path);
          continue;
        }
        if (!kept.isEmpty() && kept.get(kept.size() - 1).next() != base) {
          long due = kept.get(kept.size() - 1).next();
          bytesCut += Files.size(path);
          Files.delete(path);
          message.append("cut ").append(path.getFileName()).append(": it starts at sequence ")
              .append(base).append(" where ").append(due).append(" was due");
          continue;
        }
        SegmentScan scan = SegmentScan.scan(path, base, maxPayload, opener);
        Segment segment = scan.segment();
        kept.add(segment);
        if (scan.problem() != null) {
          bytesCut += scan.bytesBad();
          segment.cutAfterLastFrame();
          message.append("cut ").append(scan.bytesBad()).append(" bytes from ")
              .append(path.getFileName()).append(" at offset ").append(segment.size())
              .append(" (sequence ").append(segment.next()).append(": ").append(scan.problem())
              .append(")");
        }
      }
      return settle(directory, kept, floor, bytesCut, message, opener);
    } catch (IOException | RuntimeException e) {
      for (Segment segment : kept) {
        try {
          segment.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static SegmentRecovery settle(Path directory, List<Segment> kept, long checkpointed,
      long bytesCut, StringBuilder message, ChannelOpener opener) throws IOException {
    long floor = checkpointed;
    // segments wholly below the floor hold only acknowledged records
    while (!kept.isEmpty() && kept.get(0).next() <= floor) {
      kept.remove(0).delete();
    }
    if (!kept.isEmpty() && kept.get(0).base() > floor) {
      floor = kept.get(0).base();  // records below were lost with a page cache (no-fsync mode)
    }
    long next = kept.isEmpty() ? floor : Math.max(floor, kept.get(kept.size() - 1).next());
    if (kept.isEmpty() || kept.get(kept.size() - 1).next() != next) {
      kept.add(Segment.create(directory, next, opener));
      Checkpoint.forceDirectory(directory);
    }
    long records = next - floor;
    if (message.length() > 0) {
      message.append("; kept ").append(records).append(" unacknowledged records")
          .append(records > 0 ? " (" + floor + ".." + (next - 1) + ")" : "")
          .append(", ").append(bytesCut).append(" bytes cut in all");
    }
    Recovery recovery = message.length() == 0 ? Recovery.clean(records)
        : new Recovery(records, bytesCut, message.toString());
    return new SegmentRecovery(List.copyOf(kept), floor, next, recovery);
  }

  private static List<Long> segmentBases(Path directory) throws IOException {
    List<Long> bases = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        long base = Segment.baseOf(file);
        if (base > 0) {
          bases.add(base);
        }
      }
    }
    bases.sort(Comparator.naturalOrder());
    return bases;
  }
}
