package org.virthooks.kafka.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A durable, bounded, append-only queue of opaque records on local disk, between the threads that
 * publish events (which must never wait on the network) and the one sender that delivers them.
 *
 * <p>The contract every implementation keeps:
 * <ul>
 *   <li>{@link #append} returns only once the record is as durable as the {@link SpoolConfig}
 *       says (fsync'd in a group commit, or written to the page cache in no-fsync mode); a crash
 *       at any instant after that (the JVM killed with SIGKILL) loses no such record.
 *   <li>Sequence numbers start at 1, grow by one per record and never repeat, across restarts
 *       on the same directory: they are a record's identity.
 *   <li>{@link #acknowledge} moves a watermark; acknowledged records may be deleted at once and
 *       are never read again. The watermark is checkpointed atomically.
 *   <li>Opening a directory whose tail was torn or corrupted (a crash mid-write, a bad disk)
 *       cuts the tail at the first record whose checksum fails, keeps everything before it, and
 *       reports what was cut in {@link #recovery()}.
 *   <li>The spool holds at most {@link SpoolConfig#maxBytes()} of unacknowledged records; when
 *       full, {@link SpoolConfig#fullPolicy()} decides: wait (bounded) or drop the oldest, which
 *       is reported to the {@link DropListener}, never silent.
 * </ul>
 * Thread-safe: many threads append, one reads and acknowledges.
 */
public interface Spool extends AutoCloseable {

  /**
   * Appends {@code record} and returns its sequence number once durable.
   *
   * @throws SpoolFullException when full under {@link FullPolicy#BLOCK} and no room came within
   *     {@link SpoolConfig#blockTimeout()}, or when the record alone exceeds the spool
   * @throws IOException when the disk refuses the write (full, read-only): the record is not kept
   */
  long append(byte[] record) throws IOException, InterruptedException;

  /**
   * Appends {@code records} in their order with consecutive sequence numbers, and returns the
   * first once all are durable: a batch shares one group commit, so a thread with many records
   * pays one fsync instead of one each. All or none are kept.
   *
   * @throws SpoolFullException as {@link #append}, or when the batch alone exceeds the spool
   * @throws IOException when the disk refuses a write: none of the batch is kept
   * @throws IllegalArgumentException when {@code records} is empty
   */
  long appendAll(List<byte[]> records) throws IOException, InterruptedException;

  /**
   * Up to {@code maxRecords} records (and about {@code maxBytes}, at least one record) with
   * sequence {@code >= fromSequence}, in order; empty when there are none yet. A
   * {@code fromSequence} below the oldest record kept starts at the oldest.
   */
  List<SpoolRecord> read(long fromSequence, int maxRecords, long maxBytes) throws IOException;

  /**
   * Waits until a record with sequence {@code >= sequence} exists, or {@code timeout} passes, or
   * the spool closes; true when one exists.
   */
  boolean awaitRecord(long sequence, Duration timeout) throws InterruptedException;

  /** Marks every record up to and including {@code sequence} delivered: it may be deleted. */
  void acknowledge(long sequence) throws IOException;

  /** The sequence the next append will get. */
  long nextSequence();

  /** The lowest sequence not acknowledged yet (equals {@link #nextSequence()} when empty). */
  long firstUnacknowledged();

  /** Unacknowledged records held. */
  long depthRecords();

  /** Bytes held on disk by unacknowledged records, framing included. */
  long depthBytes();

  /** What opening the directory found and repaired; {@link Recovery#isClean()} when nothing was cut. */
  Recovery recovery();

  /** Makes every appended record durable now, checkpoints, and closes the files. */
  @Override
  void close() throws IOException;

  /**
   * What was lost when the oldest records were dropped to make room ({@link FullPolicy#DROP_OLDEST}).
   * Called on the appending thread, outside the spool's locks; it may append (a loss marker).
   */
  @FunctionalInterface
  interface DropListener {
    /** Records {@code fromSequence..toSequence} (inclusive), {@code count} of them, were dropped. */
    void dropped(long fromSequence, long toSequence, long count);
  }
}
