package org.virthooks.kafka.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Spool} keeps its records.
 *
 * @param directory where the files live; created when missing, owned by one spool at a time
 * @param maxBytes the most unacknowledged bytes held on disk
 * @param fullPolicy what an append does when that is reached
 * @param blockTimeout how long a {@link FullPolicy#BLOCK} append waits for room
 * @param fsync true to fsync each group commit; false leaves durability to the page cache (a
 *     process crash loses nothing, a power loss may)
 * @param groupCommitRecords a group commit is made once this many appends wait for it (or as
 *     many as the last group had, whichever is fewer)
 * @param groupCommitInterval ... or once the oldest waiting append has waited this long
 */
public record SpoolConfig(
    Path directory,
    long maxBytes,
    FullPolicy fullPolicy,
    Duration blockTimeout,
    boolean fsync,
    int groupCommitRecords,
    Duration groupCommitInterval) {

  /** 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  /** Validates the fields. */
  public SpoolConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(fullPolicy, "fullPolicy");
    Objects.requireNonNull(blockTimeout, "blockTimeout");
    Objects.requireNonNull(groupCommitInterval, "groupCommitInterval");
    if (maxBytes < 1 << 16) {
      throw new IllegalArgumentException("spool maxBytes must be at least 64 KiB: " + maxBytes);
    }
    if (groupCommitRecords < 1) {
      throw new IllegalArgumentException("groupCommitRecords must be at least 1: "
          + groupCommitRecords);
    }
    if (blockTimeout.isNegative() || groupCommitInterval.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /**
   * The defaults: 1 GiB, {@link FullPolicy#BLOCK} for up to 5 s, fsync on, group commits of up
   * to 256 appends, waiting at most 1 ms for as many publishers as shared the last fsync. A lone
   * publisher makes groups of one and never waits (it pays one fsync per append); many
   * publishers come back together and share one fsync (docs/performance.md).
   */
  public static SpoolConfig defaults(Path directory) {
    return new SpoolConfig(directory, DEFAULT_MAX_BYTES, FullPolicy.BLOCK, Duration.ofSeconds(5),
        true, 256, Duration.ofMillis(1));
  }

  /** A copy in another directory. */
  public SpoolConfig withDirectory(Path other) {
    return new SpoolConfig(other, maxBytes, fullPolicy, blockTimeout, fsync, groupCommitRecords,
        groupCommitInterval);
  }

  /** A copy with another size bound. */
  public SpoolConfig withMaxBytes(long bytes) {
    return new SpoolConfig(directory, bytes, fullPolicy, blockTimeout, fsync, groupCommitRecords,
        groupCommitInterval);
  }

  /** A copy with another full policy. */
  public SpoolConfig withFullPolicy(FullPolicy policy) {
    return new SpoolConfig(directory, maxBytes, policy, blockTimeout, fsync, groupCommitRecords,
        groupCommitInterval);
  }

  /** A copy with another block timeout. */
  public SpoolConfig withBlockTimeout(Duration timeout) {
    return new SpoolConfig(directory, maxBytes, fullPolicy, timeout, fsync, groupCommitRecords,
        groupCommitInterval);
  }

  /** A copy with fsync on or off. */
  public SpoolConfig withFsync(boolean on) {
    return new SpoolConfig(directory, maxBytes, fullPolicy, blockTimeout, on, groupCommitRecords,
        groupCommitInterval);
  }

  /** A copy with other group commit bounds. */
  public SpoolConfig withGroupCommit(int records, Duration interval) {
    return new SpoolConfig(directory, maxBytes, fullPolicy, blockTimeout, fsync, records, interval);
  }
}
