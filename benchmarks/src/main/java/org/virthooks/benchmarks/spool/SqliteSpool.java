package org.virthooks.benchmarks.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.virthooks.kafka.spool.FullPolicy;
import org.virthooks.kafka.spool.Recovery;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.spool.SpoolFullException;
import org.virthooks.kafka.spool.SpoolRecord;
import org.virthooks.kafka.spool.internal.DirectoryLock;

/**
 * The {@link Spool} on SQLite (sqlite-jdbc, WAL mode), kept for the comparison with
 * {@code SegmentSpool}: one table of (sequence, payload), the first kept sequence in a second.
 * Group commit the same way: appenders queue their record and wait; a committer thread inserts
 * each group in one transaction ({@code synchronous=FULL}: the WAL is fsync'd per commit;
 * {@code OFF} in no-fsync mode, where a group is committed as soon as the committer is free).
 * Torn writes are SQLite's business: a WAL frame whose checksum fails is ignored, so its
 * {@link #recovery()} is always clean. A failed group leaves a gap in the numbering.
 */
public final class SqliteSpool implements Spool {
  private static final int FRAMING = 16;  // counted per record, as the segment log's frame
  private static final long CHECKPOINT_EVERY = TimeUnit.SECONDS.toNanos(1);

  private final SpoolConfig config;
  private final DropListener onDrop;
  private final DirectoryLock directoryLock;
  private final Connection writer;
  private final Connection reader;
  private final Recovery recovery;
  private final Thread committer;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final Condition work = lock.newCondition();

  // guarded by lock
  private final List<Pending> queue = new ArrayList<>();
  private final SizeRing sizes;
  private long nextSequence;
  private long firstKept;
  private long durable;
  private long heldBytes;
  private long checkpointed;
  private long lastCheckpoint = System.nanoTime();
  private long pendingSince;
  private final List<long[]> failedRanges = new ArrayList<>();
  private boolean closed;

  private SqliteSpool(SpoolConfig config, DropListener onDrop, DirectoryLock directoryLock,
      Connection writer, Connection reader) throws SQLException {
    this.config = config;
    this.onDrop = onDrop;
    this.directoryLock = directoryLock;
    this.writer = writer;
    this.reader = reader;
    try (Statement s = writer.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + (config.fsync() ? "FULL" : "OFF"));
      s.execute("CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
      long floor = 1;
      try (ResultSet r = s.executeQuery("SELECT v FROM meta WHERE k = 'first_kept'")) {
        if (r.next()) {
          floor = r.getLong(1);
        }
      }
      long max = 0;
      try (ResultSet r = s.executeQuery("SELECT max(seq) FROM records")) {
        if (r.next()) {
          max = r.getLong(1);
        }
      }
      firstKept = floor;
      nextSequence = Math.max(floor, max + 1);
      sizes = new SizeRing(floor);
      try (PreparedStatement q = writer.prepareStatement(
          "SELECT seq, length(payload) FROM records WHERE seq >= ? ORDER BY seq")) {
        q.setLong(1, floor);
        try (ResultSet r = q.executeQuery()) {
          long expected = floor;
          while (r.next()) {
            long seq = r.getLong(1);
            for (; expected < seq; expected++) {
              sizes.add(0);  // a gap left by a failed group
            }
            sizes.add(r.getInt(2) + FRAMING);
            heldBytes += r.getInt(2) + FRAMING;
            expected++;
          }
        }
      }
    }
    writer.setAutoCommit(false);
    durable = nextSequence - 1;
    checkpointed = firstKept;
    recovery = Recovery.clean(nextSequence - firstKept);
    committer = new Thread(this::runCommitter, "virthooks-sqlite-spool-commit");
    committer.setDaemon(true);
  }

  /** Opens (or creates) {@code spool.db} in the configured directory. */
  public static SqliteSpool open(SpoolConfig config, DropListener onDrop) throws IOException {
    Objects.requireNonNull(onDrop, "onDrop");
    Files.createDirectories(config.directory());
    DirectoryLock directoryLock = DirectoryLock.acquire(config.directory());
    String url = "jdbc:sqlite:" + config.directory().resolve("spool.db");
    Connection writer = null;
    Connection reader = null;
    try {
      writer = DriverManager.getConnection(url);
      reader = DriverManager.getConnection(url);
      SqliteSpool spool = new SqliteSpool(config, onDrop, directoryLock, writer, reader);
      spool.committer.start();
      return spool;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(reader);
      closeQuietly(writer);
      directoryLock.close();
      throw new IOException("cannot open the SQLite spool in " + config.directory() + ": " + e, e);
    }
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
    int size = 0;
    for (byte[] record : records) {
      Objects.requireNonNull(record, "record");
      if (record.length + FRAMING > config.maxBytes()) {
        throw new SpoolFullException("a record of " + record.length + " bytes exceeds the spool");
      }
      size += record.length + FRAMING;
    }
    if (size > config.maxBytes()) {
      throw new SpoolFullException("a batch of " + size + " bytes exceeds the spool");
    }
    long first;
    long[] drop = null;
    lock.lockInterruptibly();
    try {
      checkOpen();
      if (heldBytes + size > config.maxBytes()) {
        if (config.fullPolicy() == FullPolicy.BLOCK) {
          awaitRoom(size);
        } else {
          drop = dropOldest(size);
        }
      }
      first = nextSequence;
      if (queue.isEmpty()) {
        pendingSince = System.nanoTime();
      }
      for (byte[] record : records) {
        sizes.add(record.length + FRAMING);
        heldBytes += record.length + FRAMING;
        queue.add(new Pending(nextSequence++, record));
      }
      if (queue.size() == records.size() || queue.size() >= config.groupCommitRecords()
          || !config.fsync()) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
    if (drop != null) {
      onDrop.dropped(drop[0], drop[1], drop[2]);
    }
    awaitDurable(first + records.size() - 1);
    return first;
  }

  private void awaitRoom(int size) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + config.blockTimeout().toNanos();
    while (heldBytes + size > config.maxBytes()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SpoolFullException("spool " + config.directory() + " full: " + heldBytes
            + " of " + config.maxBytes() + " bytes for " + config.blockTimeout().toMillis()
            + " ms");
      }
      room.awaitNanos(left);
      checkOpen();
    }
  }

  private long[] dropOldest(int size) {
    long toFree = heldBytes + size + Math.max(4096, config.maxBytes() / 64) - config.maxBytes();
    long from = firstKept;
    long to = from;
    long freed = 0;
    while (freed < toFree && sizes.count() > 0) {
      freed += sizes.oldest();
      to++;
      sizes.removeBelow(to);
    }
    heldBytes -= freed;
    firstKept = to;
    work.signal();
    return new long[] {from, to - 1, to - from};
  }

  private void awaitDurable(long sequence) throws IOException {
    boolean interrupted = false;
    lock.lock();
    try {
      while (durable < sequence && !failed(sequence)) {
        try {
          advanced.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (failed(sequence)) {
        throw new IOException("spool " + config.directory() + ": the group holding record "
            + sequence + " failed to commit; the record is not kept");
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean failed(long sequence) {
    for (long[] range : failedRanges) {
      if (sequence >= range[0] && sequence <= range[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<SpoolRecord> read(long fromSequence, int maxRecords, long maxBytes)
      throws IOException {
    long start;
    long last;
    lock.lock();
    try {
      checkOpen();
      start = Math.max(fromSequence, firstKept);
      last = durable;
    } finally {
      lock.unlock();
    }
    List<SpoolRecord> out = new ArrayList<>();
    if (start > last || maxRecords <= 0) {
      return out;
    }
    synchronized (reader) {
      try (PreparedStatement q = reader.prepareStatement(
          "SELECT seq, payload FROM records WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?")) {
        q.setLong(1, start);
        q.setLong(2, last);
        q.setInt(3, maxRecords);
        long bytes = 0;
        try (ResultSet r = q.executeQuery()) {
          while (r.next() && (out.isEmpty() || bytes < maxBytes)) {
            byte[] payload = r.getBytes(2);
            out.add(new SpoolRecord(r.getLong(1), payload));
            bytes += payload.length + FRAMING;
          }
        }
      } catch (SQLException e) {
        throw new IOException("spool " + config.directory() + ": read failed: " + e, e);
      }
    }
    return out;
  }

  @Override
  public boolean awaitRecord(long sequence, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (durable < sequence && !closed) {
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
      checkOpen();
      if (sequence >= nextSequence) {
        throw new IllegalArgumentException("acknowledged " + sequence + " but the last record is "
            + (nextSequence - 1));
      }
      if (sequence >= firstKept) {
        heldBytes -= sizes.removeBelow(sequence + 1);
        firstKept = sequence + 1;
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
        committer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (reader) {
      closeQuietly(reader);
    }
    closeQuietly(writer);
    directoryLock.close();
  }

  private void runCommitter() {
    lock.lock();
    try {
      long interval = config.groupCommitInterval().toNanos();
      while (true) {
        long now = System.nanoTime();
        if (!queue.isEmpty() && (closed || !config.fsync()
            || queue.size() >= config.groupCommitRecords() || now - pendingSince >= interval)) {
          commit();
        } else if (checkpointed != firstKept
            && (closed || now - lastCheckpoint >= CHECKPOINT_EVERY)) {
          checkpoint();  // as the segment log: at most once a second, and at close
          lastCheckpoint = System.nanoTime();
        } else if (closed) {
          return;
        } else {
          long wait = Long.MAX_VALUE;
          if (!queue.isEmpty()) {
            wait = interval - (now - pendingSince);
          }
          if (checkpointed != firstKept) {
            wait = Math.min(wait, lastCheckpoint + CHECKPOINT_EVERY - now);
          }
          if (wait == Long.MAX_VALUE) {
            work.await();
          } else {
            work.awaitNanos(Math.max(wait, 1));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void commit() {
    List<Pending> group = new ArrayList<>(queue);
    queue.clear();
    lock.unlock();
    SQLException error = null;
    try (PreparedStatement insert = writer.prepareStatement(
        "INSERT INTO records (seq, payload) VALUES (?, ?)")) {
      for (Pending p : group) {
        insert.setLong(1, p.sequence());
        insert.setBytes(2, p.payload());
        insert.addBatch();
      }
      insert.executeBatch();
      writer.commit();
    } catch (SQLException e) {
      error = e;
      try {
        writer.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
    } finally {
      lock.lock();
    }
    long first = group.get(0).sequence();
    long last = group.get(group.size() - 1).sequence();
    if (error != null) {
      failedRanges.add(new long[] {first, last});
    } else {
      durable = Math.max(durable, last);
    }
    advanced.signalAll();
  }

  private void checkpoint() {
    long target = firstKept;
    lock.unlock();
    try (PreparedStatement delete = writer.prepareStatement("DELETE FROM records WHERE seq < ?");
        PreparedStatement mark = writer.prepareStatement(
            "INSERT INTO meta (k, v) VALUES ('first_kept', ?) "
                + "ON CONFLICT(k) DO UPDATE SET v = excluded.v")) {
      delete.setLong(1, target);
      delete.executeUpdate();
      mark.setLong(1, target);
      mark.executeUpdate();
      writer.commit();
    } catch (SQLException e) {
      try {
        writer.rollback();
      } catch (SQLException ignored) {
        // the checkpoint is tried again after the next acknowledgement
      }
    } finally {
      lock.lock();
    }
    checkpointed = target;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("spool " + config.directory() + " is closed");
    }
  }

  private long underLock(LongSupplier read) {
    lock.lock();
    try {
      return read.getAsLong();
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing: nothing to do with it
      }
    }
  }

  private record Pending(long sequence, byte[] payload) {}
}
