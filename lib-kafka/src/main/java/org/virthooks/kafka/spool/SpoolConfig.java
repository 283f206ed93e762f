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
 * @param groupCommitRecords a group commit is made once this many appends wait for it
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
   * to 256 appends with no added wait: a group is what arrived while the previous fsync ran, so a
   * lone publisher pays one fsync per append and many publishers share one (a 2 ms wait cost a
   * lone publisher two thirds of its rate and bought many publishers nothing an fsync's own
   * duration does not already give them; see docs/performance.md).
   */
  public static SpoolConfig defaults(Path directory) {
    return new SpoolConfig(directory, DEFAULT_MAX_BYTES, FullPolicy.BLOCK, Duration.ofSeconds(5),
        true, 256, Duration.ZERO);
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
