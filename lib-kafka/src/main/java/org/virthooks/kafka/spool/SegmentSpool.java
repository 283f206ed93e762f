package org.virthooks.kafka.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.kafka.spool.internal.BrokenSegmentException;
import org.virthooks.kafka.spool.internal.FileOpener;
import org.virthooks.kafka.spool.internal.Checkpoint;
import org.virthooks.kafka.spool.internal.DirectoryLock;
import org.virthooks.kafka.spool.internal.Frame;
import org.virthooks.kafka.spool.internal.Segment;
import org.virthooks.kafka.spool.internal.SegmentGoneException;
import org.virthooks.kafka.spool.internal.SegmentRecovery;

/**
 * The {@link Spool}: a log of segment files, records framed as length + CRC32C + sequence +
 * payload, made durable by group commit, with the acknowledged watermark in an atomically
 * replaced checkpoint.
 *
 * <p>With fsync on, an appender only places its frame in memory under the spool's lock (a copy,
 * no system call, so 64 publishers do not queue behind each other's writes) and waits for the
 * committer thread ({@code virthooks-spool-commit}), which writes the group's frames with one
 * write per segment, forces every written segment once and then answers the whole group. A group
 * is committed once it holds {@link SpoolConfig#groupCommitRecords()} appends or as many as the
 * last group did, or once its oldest has waited {@link SpoolConfig#groupCommitInterval()}: the
 * publishers that shared one fsync share the next, and a lone publisher never waits. When the
 * disk refuses a group's write (full), that group and the appends after it are refused and
 * forgotten, and the spool goes on from its last durable record. With fsync off an appender
 * writes its frame itself, so that it is in the page cache before the append returns.
 *
 * <p>The committer also writes the checkpoint after acknowledgements and deletes segments whose
 * records are all below it, so neither an fsync nor a delete ever runs on the reader's or an
 * appender's thread. Reads see only records already durable, so a record the sender has seen
 * can never be cut by a crash and its sequence given to another; for the same reason
 * {@link FullPolicy#DROP_OLDEST} drops only durable records.
 *
 * <p>A spool is given its {@link DropListener} when it is opened
 * ({@link #open(SpoolConfig, DropListener)}): under {@link FullPolicy#DROP_OLDEST} a loss is
 * reported from the first append that causes it, so the listener must exist before any append.
 */
public final class SegmentSpool implements Spool {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentSpool.class);
  /** The largest payload: segment offsets are ints, and a segment holds at least one record. */
  static final int MAX_PAYLOAD = 64 << 20;
  private static final long MAX_SEGMENT = 64L << 20;
  private static final long MIN_SEGMENT = 4096;
  private static final long CHECKPOINT_EVERY = TimeUnit.SECONDS.toNanos(1);
  private static final int LOCK_SPINS = 200;

  private final SpoolConfig config;
  private final DropListener onDrop;
  private final FileOpener opener;
  private final DirectoryLock directoryLock;
  private final Recovery recovery;
  private final long segmentBytes;
  private final long dropSlack;
  private final int maxPayload;
  private final Thread committer;

  private final ReentrantLock lock = new ReentrantLock();
  /** Durable records moved on, or the spool closed or failed. */
  private final Condition advanced = lock.newCondition();
  /** Room was made (an acknowledgement), or the spool closed. */
  private final Condition room = lock.newCondition();
  /** The committer has work: a group to commit, a checkpoint to write, a close. */
  private final Condition work = lock.newCondition();

  // guarded by lock
  private final List<Segment> segments;
  private long nextSequence;
  private long firstKept;
  private long durable;
  private long heldBytes;
  private long checkpointed;
  private long lastCheckpoint = System.nanoTime();
  private long checkpointNotBefore = lastCheckpoint;
  private int pending;
  /** Appends in the last group committed: what the next one waits for (see groupTarget). */
  private int lastGroup = 1;
  private long pendingSince;
  private boolean newSegmentFile;
  private boolean closed;
  private IOException failure;
  /** The group the next appends join; swapped for a new one when the committer takes it. */
  private Group openGroup = new Group();
  /** The group being forced, released (with the spool's failure, if any) when it is done. */
  private Group committing;

  private SegmentSpool(SpoolConfig config, DropListener onDrop, FileOpener opener,
      DirectoryLock directoryLock, SegmentRecovery recovered) {
    this.config = config;
    this.onDrop = onDrop;
    this.opener = opener;
    this.directoryLock = directoryLock;
    this.recovery = recovered.recovery();
    // a segment is an eighth of the bound (so acknowledged data is deleted in steps of that),
    // at most 64 MiB
    this.segmentBytes = Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, config.maxBytes() / 8));
    // DROP_OLDEST frees a little more than the append needs, so that the loss marker the
    // listener appends finds room instead of dropping again, and drops come in batches
    this.dropSlack = Math.max(4096, config.maxBytes() / 64);
    this.maxPayload = (int) Math.min(MAX_PAYLOAD, config.maxBytes() - Frame.HEADER);
    this.segments = new ArrayList<>(recovered.segments());
    this.nextSequence = recovered.nextSequence();
    this.firstKept = recovered.firstKept();
    this.durable = nextSequence - 1;
    this.checkpointed = firstKept;
    this.heldBytes = bytesBetween(firstKept, nextSequence);
    this.committer = new Thread(this::runCommitter, "virthooks-spool-commit");
    committer.setDaemon(true);
  }

  /**
   * Opens (creating, or recovering after a crash) the spool in {@code config.directory()};
   * {@code onDrop} is told of every loss under {@link FullPolicy#DROP_OLDEST}.
   *
   * @throws IOException when the directory cannot be used, or another spool holds it
   */
  public static SegmentSpool open(SpoolConfig config, DropListener onDrop) throws IOException {
    return open(config, onDrop, FileOpener.DEFAULT);
  }

  /** Opens a spool that blocks when full; a {@link FullPolicy#DROP_OLDEST} one needs a listener. */
  public static SegmentSpool open(SpoolConfig config) throws IOException {
    if (config.fullPolicy() == FullPolicy.DROP_OLDEST) {
      throw new IllegalArgumentException("a DROP_OLDEST spool needs a DropListener: a loss must "
          + "be reported");
    }
    return open(config, (from, to, count) -> { }, FileOpener.DEFAULT);
  }

  static SegmentSpool open(SpoolConfig config, DropListener onDrop, FileOpener opener)
      throws IOException {
    Objects.requireNonNull(onDrop, "onDrop");
    Files.createDirectories(config.directory());
    DirectoryLock directoryLock = DirectoryLock.acquire(config.directory());
    SegmentSpool spool;
    try {
      int maxPayload = (int) Math.min(MAX_PAYLOAD, config.maxBytes() - Frame.HEADER);
      SegmentRecovery recovered = SegmentRecovery.open(config.directory(), maxPayload, opener);
      spool = new SegmentSpool(config, onDrop, opener, directoryLock, recovered);
    } catch (IOException | RuntimeException e) {
      directoryLock.close();
      throw e;
    }
    if (!spool.recovery.isClean()) {
      LOG.warn("spool {}: {}", config.directory(), spool.recovery.message());
    }
    spool.committer.start();
    return spool;
  }

  @Override
  public long append(byte[] record) throws IOException, InterruptedException {
    return appendAll(List.of(Objects.requireNonNull(record, "record")));
  }

  @Override
  public long appendAll(List<byte[]> records) throws IOException, InterruptedException {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no records to append");
    }
    ByteBuffer[] frames = new ByteBuffer[records.size()];
    long bytes = 0;
    for (int i = 0; i < frames.length; i++) {
      byte[] record = Objects.requireNonNull(records.get(i), "record");
      if (record.length > maxPayload) {
        throw new SpoolFullException("a record of " + record.length + " bytes exceeds the "
            + "spool's largest (" + maxPayload + " bytes)");
      }
      frames[i] = Frame.encode(0, record);
      bytes += frames[i].limit();
    }
    if (bytes > config.maxBytes()) {
      throw new SpoolFullException("a batch of " + frames.length + " records (" + bytes
          + " bytes) exceeds the spool's bound (" + config.maxBytes() + " bytes)");
    }
    long first;
    Group group = null;
    // reported whatever becomes of this append: a loss is a loss even if the append then fails
    List<Drop> drops = new ArrayList<>(0);
    lockForAppend();
    try {
      checkUsable();
      if (heldBytes + bytes > config.maxBytes()) {
        if (config.fullPolicy() == FullPolicy.BLOCK) {
          awaitRoom(bytes);
        } else {
          dropOldest(bytes, drops);
        }
      }
      first = nextSequence;
      try {
        for (ByteBuffer frame : frames) {
          long sequence = nextSequence;
          frame.putLong(8, sequence).putInt(4, Frame.checksum(frame.limit() - Frame.HEADER,
              sequence, frame.array(), Frame.HEADER));
          if (config.fsync()) {
            activeFor(frame).place(frame);
          } else {
            write(frame);
          }
          nextSequence++;
          heldBytes += frame.limit();
        }
      } catch (IOException e) {
        throw refuseBatch(first, e);
      } catch (RuntimeException | Error e) {
        // all or none, whatever went wrong: no record of the batch may stay without its group
        IOException undone = undoBatch(first);
        if (undone != null) {
          e.addSuppressed(undone);
        }
        throw e;
      }
      if (config.fsync()) {
        group = openGroup;
        int before = pending;
        pending += frames.length;
        if (before == 0) {
          pendingSince = System.nanoTime();
          work.signal();
        } else if (before < groupTarget() && pending >= groupTarget()) {
          work.signal();
        }
      } else {
        durable = nextSequence - 1;
        advanced.signalAll();
      }
    } finally {
      lock.unlock();
      for (Drop drop : drops) {
        report(drop);
      }
    }
    if (group != null) {
      group.await(first, frames.length);
    }
    return first;
  }

  /**
   * Takes the lock, trying a little before queueing for it: an append holds it for a copy, so
   * the holder is about to let go, and on a VM a thread parked and woken again costs 10-15 µs
   * of CPU (docs/performance.md).
   */
  private void lockForAppend() throws InterruptedException {
    for (int i = 0; i < LOCK_SPINS; i++) {
      if (lock.tryLock()) {
        return;
      }
      Thread.onSpinWait();
    }
    lock.lockInterruptibly();
  }

  /**
   * The size at which a group is committed without waiting further: the configured bound, or
   * the size of the last group, whichever is smaller. Publishers that shared the last fsync are
   * coming back for the next one, so the committer waits (at most the interval) until they are
   * in; a lone publisher makes groups of one and never waits.
   */
  private int groupTarget() {
    return Math.min(config.groupCommitRecords(), lastGroup);
  }

  /** Writes a frame now (no-fsync mode: in the page cache before the append returns). */
  private void write(ByteBuffer frame) throws IOException {
    Segment active = activeFor(frame);
    try {
      active.append(frame);
    } catch (BrokenSegmentException e) {
      failed(e);  // a half frame may stay in the file: nothing may be written after it
      throw e;
    }
  }

  /**
   * A batch the disk refused part of (a write, a new segment's file): the records it placed or
   * wrote before, from {@code first}, are forgotten, so that all or none of a batch is kept.
   */
  private IOException refuseBatch(long first, IOException e) {
    if (failure != null) {
      return e;
    }
    IOException undone = undoBatch(first);
    if (undone != null) {
      undone.addSuppressed(e);
      return undone;
    }
    return notKept(e);
  }

  /** Forgets what a batch placed or wrote from {@code first}; the error when that failed. */
  private IOException undoBatch(long first) {
    if (nextSequence > first) {
      try {
        forgetFrom(first);
      } catch (IOException cut) {
        failed(cut);
        return cut;
      }
    }
    return null;
  }

  private void failed(IOException e) {
    failure = e;
    advanced.signalAll();
    room.signalAll();
  }

  private IOException notKept(IOException e) {
    return new IOException("spool " + config.directory() + ": the record was not kept, the disk "
        + "refused the write (" + e.getMessage() + "); the spool is intact and takes the next "
        + "append", e);
  }

  /** The segment the frame goes to: the last one, or a new one when it would grow too big. */
  private Segment activeFor(ByteBuffer frame) throws IOException {
    Segment active = segments.get(segments.size() - 1);
    if (active.count() > 0 && active.size() + frame.limit() > segmentBytes) {
      active = Segment.create(config.directory(), nextSequence, opener);
      segments.add(active);
      newSegmentFile = true;
    }
    return active;
  }

  private void awaitRoom(long frameBytes) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + config.blockTimeout().toNanos();
    while (heldBytes + frameBytes > config.maxBytes()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SpoolFullException("spool " + config.directory() + " full: "
            + heldBytes + " of " + config.maxBytes() + " bytes held by "
            + (nextSequence - firstKept) + " unacknowledged records, no room came within "
            + config.blockTimeout().toMillis() + " ms");
      }
      room.awaitNanos(left);
      checkUsable();
    }
  }

  /**
   * Drops the oldest records until the frame fits, with some slack, adding each drop to
   * {@code drops} as it is made. Only durable records are
   * dropped: the others may still be refused by the disk and their sequences given again, and a
   * loss marker must never name a sequence that comes back. When none is durable yet, waits for
   * the group commit under way.
   */
  private void dropOldest(long frameBytes, List<Drop> drops)
      throws IOException, InterruptedException {
    while (heldBytes + frameBytes > config.maxBytes()) {
      long toFree = heldBytes + frameBytes + dropSlack - config.maxBytes();
      long from = firstKept;
      long to = from;
      long freed = 0;
      int index = segmentIndexOf(from);
      while (freed < toFree && to <= durable) {
        Segment segment = segments.get(index);
        if (to == segment.next()) {
          index++;
          continue;
        }
        freed += segment.offsetOf(to + 1) - segment.offsetOf(to);
        to++;
      }
      if (to > from) {
        advanceFloor(to);
        drops.add(new Drop(from, to - 1, to - from));
      } else {
        advanced.await();
        checkUsable();
      }
    }
  }

  private void report(Drop drop) {
    try {
      onDrop.dropped(drop.from(), drop.to(), drop.count());
    } catch (RuntimeException e) {
      LOG.warn("spool {}: the drop listener failed on the loss of records {}..{}",
          config.directory(), drop.from(), drop.to(), e);
    }
  }

  @Override
  public List<SpoolRecord> read(long fromSequence, int maxRecords, long maxBytes)
      throws IOException {
    while (true) {
      List<Slice> plan = new ArrayList<>();
      lock.lock();
      try {
        if (closed) {
          throw new IOException("spool " + config.directory() + " is closed");
        }
        long start = Math.max(fromSequence, firstKept);
        if (maxRecords <= 0 || start > durable) {
          return List.of();
        }
        long bytes = 0;
        int records = 0;
        for (int i = segmentIndexOf(start); i < segments.size() && records < maxRecords; i++) {
          Segment segment = segments.get(i);
          long last = Math.min(segment.next() - 1, durable);
          long end = start;
          while (end <= last && records < maxRecords && (records == 0 || bytes < maxBytes)) {
            bytes += segment.offsetOf(end + 1) - segment.offsetOf(end);
            records++;
            end++;
          }
          if (end > start) {
            plan.add(new Slice(segment, start, end - 1, segment.offsetOf(start),
                segment.offsetOf(end)));
          }
          if (end <= last || bytes >= maxBytes) {
            break;
          }
          start = end;
        }
      } finally {
        lock.unlock();
      }
      try {
        List<SpoolRecord> out = new ArrayList<>();
        for (Slice slice : plan) {
          slice.segment().read(slice.from(), slice.to(), slice.start(), slice.stop(), out);
        }
        return out;
      } catch (SegmentGoneException e) {
        // a drop deleted the segment under the read: read again from the oldest kept
      }
    }
  }

  @Override
  public boolean awaitRecord(long sequence, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (durable < sequence && !closed && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        advanced.awaitNanos(left);
      }
      return durable >= sequence;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void acknowledge(long sequence) throws IOException {
    lock.lock();
    try {
      if (closed) {
        throw new IOException("spool " + config.directory() + " is closed");
      }
      if (sequence > durable) {
        // a record not durable yet may still be refused and its sequence given again
        throw new IllegalArgumentException("acknowledged " + sequence + " but the last durable "
            + "record is " + durable);
      }
      if (sequence >= firstKept) {
        advanceFloor(sequence + 1);
        room.signalAll();
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long nextSequence() {
    return underLock(() -> nextSequence);
  }

  @Override
  public long firstUnacknowledged() {
    return underLock(() -> firstKept);
  }

  @Override
  public long depthRecords() {
    return underLock(() -> nextSequence - firstKept);
  }

  @Override
  public long depthBytes() {
    return underLock(() -> heldBytes);
  }

  @Override
  public Recovery recovery() {
    return recovery;
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signalAll();
      advanced.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (committer.isAlive()) {
      try {
        committer.join();  // it commits what is pending and checkpoints before it ends
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    IOException error = null;
    for (Segment segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        error = addTo(error, e);
      }
    }
    try {
      directoryLock.close();
    } catch (IOException e) {
      error = addTo(error, e);
    }
    if (error != null) {
      throw error;
    }
  }

  private void runCommitter() {
    lock.lock();
    try {
      long intervalNanos = config.groupCommitInterval().toNanos();
      while (true) {
        long now = System.nanoTime();
        if (pending > 0 && (closed || pending >= groupTarget()
            || now - pendingSince >= intervalNanos)) {
          commit();
        } else if (checkpointDue(now)) {
          checkpoint();
        } else if (closed) {
          finish();
          return;
        } else {
          long wait = Long.MAX_VALUE;
          if (pending > 0) {
            wait = intervalNanos - (now - pendingSince);
          }
          if (checkpointed != firstKept) {
            wait = Math.min(wait, Math.max(lastCheckpoint + CHECKPOINT_EVERY - now,
                checkpointNotBefore - now));
          }
          if (wait == Long.MAX_VALUE) {
            work.await();
          } else {
            work.awaitNanos(Math.max(wait, 1));
          }
        }
      }
    } catch (Throwable e) {
      failure = new IOException("the spool's committer failed: " + e, e);
      if (committing != null) {
        committing.release(failure);
      }
      openGroup.release(failure);
      advanced.signalAll();
      room.signalAll();
      LOG.error("spool {}: the committer failed; appends will fail", config.directory(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * One group commit: writes the frames placed since the last one (one write per segment) and
   * forces the segments; called and returns with the lock held, does its I/O without it.
   */
  private void commit() {
    long first = durable + 1;
    long target = nextSequence - 1;
    committing = openGroup;
    openGroup = new Group();
    List<Segment> dirty = takeDirty();
    List<Segment.Unwritten> frames = new ArrayList<>(dirty.size());
    for (Segment segment : dirty) {
      frames.add(segment.takeUnwritten());
    }
    boolean directory = newSegmentFile;
    newSegmentFile = false;
    lastGroup = pending;
    pending = 0;
    lock.unlock();
    IOException refused = null;
    IOException error = null;
    try {
      try {
        for (int i = 0; i < dirty.size(); i++) {
          if (frames.get(i) != null) {
            dirty.get(i).write(frames.get(i));
          }
        }
      } catch (BrokenSegmentException e) {
        error = e;
      } catch (IOException e) {
        refused = e;
      }
      if (refused == null && error == null) {
        try {
          force(dirty, directory);
        } catch (IOException e) {
          error = e;
        }
      }
    } finally {
      lock.lock();
    }
    Group released = committing;
    committing = null;
    if (refused != null) {
      // a full disk: the group and every append since are refused, their records forgotten,
      // and the spool goes on from the last durable record
      Group later = openGroup;
      openGroup = new Group();
      pending = 0;
      IOException answer;
      try {
        boolean deleted = forgetFrom(first);
        // the cut must be as durable as the frames it removed were about to be: else a crash
        // could bring back whole frames whose appends were told "not kept"
        segments.get(segments.size() - 1).force();
        if (deleted) {
          Checkpoint.forceDirectory(config.directory());
        }
        answer = notKept(refused);
        LOG.warn("spool {}: records {}..{} not kept: {}", config.directory(), first, target,
            refused.toString());
      } catch (IOException e) {
        failure = new IOException("a write failed and could not be undone (" + e.getMessage()
            + "), records after " + durable + " are lost and the spool takes no more appends",
            e);
        answer = failure;
        LOG.error("spool {}: {}", config.directory(), failure.getMessage(), e);
      }
      later.release(answer);
      released.release(answer);
      advanced.signalAll();
      room.signalAll();
      return;
    }
    if (error != null) {
      // after a failed fsync the kernel may have dropped the dirty pages: nothing written since
      // the last commit can be called durable, and no later record may be (PostgreSQL's lesson)
      failure = new IOException((error instanceof BrokenSegmentException
          ? "a write failed and could not be undone" : "fsync failed") + ", records after "
          + durable + " may be lost and the spool takes no more appends: " + error.getMessage(),
          error);
      LOG.error("spool {}: {}", config.directory(), failure.getMessage(), error);
      // the appends placed meanwhile are answered now: no commit follows a failure
      Group later = openGroup;
      openGroup = new Group();
      pending = 0;
      later.release(mayBeLost(failure));
    } else if (failure == null) {
      durable = Math.max(durable, target);
    }
    // after a failure no record of a later group may be called durable either
    released.release(failure == null ? null : mayBeLost(failure));
    advanced.signalAll();
    room.signalAll();
  }

  private IOException mayBeLost(IOException failed) {
    return new IOException("spool " + config.directory() + ": the record may not be durable: "
        + failed.getMessage(), failed);
  }

  /**
   * Forgets records {@code first} and after, none of them durable: segments that begin at or
   * after it go, the one that holds it is cut back; true when a segment file was deleted.
   */
  private boolean forgetFrom(long first) throws IOException {
    boolean deleted = false;
    while (segments.size() > 1 && segments.get(segments.size() - 1).base() >= first) {
      deleted = true;
      Segment gone = segments.remove(segments.size() - 1);
      try {
        gone.delete();
      } catch (IOException e) {
        LOG.warn("spool {}: could not delete {}: {}", config.directory(), gone.path(),
            e.toString());
      }
    }
    segments.get(segments.size() - 1).forgetFrom(first);
    nextSequence = first;
    heldBytes = bytesBetween(firstKept, nextSequence);
    return deleted;
  }

  /**
   * A checkpoint costs two fsyncs, so it is written when a whole segment can be deleted, at
   * close, and otherwise at most once a second (acknowledged records redelivered after a crash
   * are that second's at most); it is never due while a failed one waits for its retry.
   */
  private boolean checkpointDue(long now) {
    if (checkpointed == firstKept || now - checkpointNotBefore < 0) {
      return false;
    }
    return closed || (segments.size() > 1 && segments.get(0).next() <= firstKept)
        || now - lastCheckpoint >= CHECKPOINT_EVERY;
  }

  /** Writes the checkpoint and deletes what it covers; with the lock held, I/O without it. */
  private void checkpoint() {
    long target = firstKept;
    lock.unlock();
    IOException error = null;
    try {
      Checkpoint.write(config.directory(), target, config.fsync());
    } catch (IOException e) {
      error = e;
    } finally {
      lock.lock();
    }
    lastCheckpoint = System.nanoTime();
    if (error != null) {
      LOG.warn("spool {}: the checkpoint could not be written{}: {}", config.directory(),
          closed ? "" : " (retrying in 1 s)", error.toString());
      if (closed) {
        // closing: give up rather than loop; the older checkpoint only means redelivery
        checkpointed = target;
      } else {
        checkpointNotBefore = lastCheckpoint + CHECKPOINT_EVERY;
      }
      return;
    }
    checkpointed = target;
    List<Segment> gone = new ArrayList<>();
    // whole segments below the checkpoint, never the one appended to, never one not yet forced
    while (segments.size() > 1 && segments.get(0).next() <= checkpointed
        && segments.get(0).next() - 1 <= durable) {
      gone.add(segments.remove(0));
    }
    if (gone.isEmpty()) {
      return;
    }
    lock.unlock();
    try {
      for (Segment segment : gone) {
        try {
          segment.delete();
        } catch (IOException e) {
          LOG.warn("spool {}: could not delete {}: {}", config.directory(), segment.path(),
              e.toString());
        }
      }
    } finally {
      lock.lock();
    }
  }

  /** At close: force everything written (no-fsync mode too), then the loop ends. */
  private void finish() {
    List<Segment> dirty = takeDirty();
    boolean directory = newSegmentFile;
    newSegmentFile = false;
    try {
      force(dirty, directory);
    } catch (IOException e) {
      LOG.error("spool {}: forcing the segments at close failed", config.directory(), e);
    }
  }

  private List<Segment> takeDirty() {
    List<Segment> dirty = new ArrayList<>();
    for (Segment segment : segments) {
      if (segment.dirty()) {
        segment.clearDirty();
        dirty.add(segment);
      }
    }
    return dirty;
  }

  private void force(List<Segment> dirty, boolean directory) throws IOException {
    // (the committer is never interrupted, so the directory's FileChannel is safe here)
    for (Segment segment : dirty) {
      segment.force();
    }
    if (directory) {
      Checkpoint.forceDirectory(config.directory());  // a new segment's name must survive too
    }
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("spool " + config.directory() + " is closed");
    }
    if (failure != null) {
      throw new IOException("spool " + config.directory() + " failed: " + failure.getMessage(),
          failure);
    }
  }

  private void advanceFloor(long newFloor) {
    heldBytes -= bytesBetween(firstKept, newFloor);
    firstKept = newFloor;
  }

  /** Bytes of the frames of records {@code from} (inclusive) to {@code to} (exclusive). */
  private long bytesBetween(long from, long to) {
    long bytes = 0;
    for (Segment segment : segments) {
      long lo = Math.max(from, segment.base());
      long hi = Math.min(to, segment.next());
      if (lo < hi) {
        bytes += segment.offsetOf(hi) - segment.offsetOf(lo);
      }
    }
    return bytes;
  }

  /** The segment holding {@code sequence} (or the last one, for the next append). */
  private int segmentIndexOf(long sequence) {
    int lo = 0;
    int hi = segments.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (segments.get(mid).base() <= sequence) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private long underLock(LongSupplier read) {
    lock.lock();
    try {
      return read.getAsLong();
    } finally {
      lock.unlock();
    }
  }

  private static IOException addTo(IOException first, IOException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private record Drop(long from, long to, long count) {}

  /** Records {@code from .. to} of a segment, at file offsets {@code start .. stop}. */
  private record Slice(Segment segment, long from, long to, long start, long stop) {}

  /**
   * The appends one fsync makes durable. Their threads wait on the group's latch, not on the
   * spool's lock: when the fsync returns they go on at once, without queueing for the lock one by
   * one behind the committer and the next appends (with 64 publishers that queue cost as much as
   * the fsync itself).
   */
  private static final class Group {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile IOException failure;

    /** Lets the group's appenders go: with {@code failed} as their answer, or kept (null). */
    void release(IOException failed) {
      failure = failed;
      done.countDown();
    }

    /**
     * Waits for the group's commit of records {@code first} and {@code count - 1} after it;
     * uninterruptibly, since they are placed either way.
     */
    void await(long first, int count) throws IOException {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          // an InterruptedException here would tell the caller "not kept" about a kept record
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      IOException f = failure;
      if (f != null) {
        throw new IOException((count == 1 ? "record " + first
            : "records " + first + ".." + (first + count - 1)) + ": " + f.getMessage(), f);
      }
    }
  }
}
