package org.virthooks.core.script;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.internal.Checks;

/**
 * Reads a hook script's standard input whole, at most {@link DocumentLimit#MAX_BYTES} of it and
 * within a deadline, for entry points that answer a daemon's call in a process of their own.
 *
 * <pre>{@code
 * BoundedInput.Result r = BoundedInput.read(System.in, Duration.ofSeconds(10));
 * if (!r.complete()) {
 *   // before and filter points: refuse with r.problem(); after points: warn and go on
 * }
 * byte[] document = r.bytes();
 * }</pre>
 *
 * <p>The input is read on a daemon thread, because a blocked read of a pipe cannot be timed out
 * or interrupted; after a timeout that thread stays blocked until the input ends or the JVM exits,
 * keeping nothing it read. Memory: the input is gathered in chunks and copied once into an array
 * of its exact size, so a document costs its size twice at most, and only while it is copied.
 * Input over the limit is read to its end and discarded within the same deadline: the writer sees
 * this process answer and exit, not a broken pipe.
 */
public final class BoundedInput {
  /** How a read ended. */
  public enum Status {
    /** The input reached its end within the limit and the deadline. */
    COMPLETE,
    /** The input is larger than the limit. */
    OVER_LIMIT,
    /** The input stayed open past the deadline, within the limit so far. */
    TIMED_OUT,
    /** Reading failed (an I/O error, or the caller was interrupted). */
    FAILED
  }

  // small first: a hook document is typically a few KiB; large chunks for large input keep their
  // number down, and the last one wastes at most its size until the copy
  private static final int FIRST_CHUNK = 16 << 10;
  private static final int LARGEST_CHUNK = 1 << 20;
  private static final byte[] EMPTY = new byte[0];

  private BoundedInput() {}

  /** Reads {@code in} to its end, at most {@link DocumentLimit#MAX_BYTES}, within {@code deadline}. */
  public static Result read(InputStream in, Duration deadline) {
    return read(in, deadline, DocumentLimit.MAX_BYTES);
  }

  /** As {@link #read(InputStream, Duration)} with another limit, so tests need not send 32 MiB. */
  static Result read(InputStream in, Duration deadline, int limit) {
    Checks.notNull("in", in);
    Checks.notNull("deadline", deadline);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    Pump pump = new Pump(in, limit);
    Thread t = new Thread(pump, "virthooks-stdin");
    t.setDaemon(true);
    t.start();
    boolean ended;
    try {
      ended = pump.done.await(Checks.saturatedNanos(deadline), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pump.abandon();
      return new Result(Status.FAILED, EMPTY, -1,
          "the wait for standard input was interrupted");
    }
    if (!ended) {
      long read = pump.abandon();
      if (pump.over()) {
        return overLimit(-1);
      }
      return new Result(Status.TIMED_OUT, EMPTY, read, "standard input did not reach its end "
          + "within " + seconds(deadline) + " (" + read + " bytes read)");
    }
    // the latch orders everything the pump did before this
    if (pump.over) {
      return overLimit(pump.error == null ? pump.total : -1);
    }
    if (pump.error != null) {
      return new Result(Status.FAILED, EMPTY, pump.total, "standard input could not be read: "
          + pump.error.getMessage());
    }
    return new Result(Status.COMPLETE, pump.assemble(), pump.total, "");
  }

  private static Result overLimit(long size) {
    return new Result(Status.OVER_LIMIT, EMPTY, size, DocumentLimit.overLimit(size));
  }

  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  /** What a read got: the input when complete, else a sentence about what went wrong. */
  public static final class Result {
    private final Status status;
    private final byte[] bytes;
    private final long size;
    private final String problem;

    Result(Status status, byte[] bytes, long size, String problem) {
      this.status = status;
      this.bytes = bytes;
      this.size = size;
      this.problem = problem;
    }

    /** How the read ended. */
    public Status status() {
      return status;
    }

    /** True when the whole input was read. */
    public boolean complete() {
      return status == Status.COMPLETE;
    }

    /**
     * The whole input when complete, empty otherwise. The array itself, not a copy (nothing else
     * holds it): a caller that drops this result and the array frees the memory.
     */
    public byte[] bytes() {
      return bytes;
    }

    /**
     * How many bytes the input had (complete, or over the limit and read to its end), or were
     * read before the deadline (timed out); -1 when unknown.
     */
    public long size() {
      return size;
    }

    /**
     * What went wrong, as one sentence without a verdict (the caller adds what it does about
     * it): {@link DocumentLimit#overLimit}'s for input over the limit; empty when complete.
     */
    public String problem() {
      return problem;
    }

    @Override
    public String toString() {
      return "BoundedInput.Result[" + status + ", " + size + " bytes]";
    }
  }

  /** Reads on its own thread; what it read is handed over once, after {@link #done}. */
  private static final class Pump implements Runnable {
    private final InputStream in;
    private final int limit;
    final CountDownLatch done = new CountDownLatch(1);
    // guarded by this until done, then the caller's alone
    private List<byte[]> chunks = new ArrayList<>();
    long total;
    boolean over;
    IOException error;
    private boolean abandoned;

    Pump(InputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] chunk = EMPTY;
      int fill = 0;
      int next = FIRST_CHUNK;
      try {
        while (true) {
          if (fill == chunk.length) {
            fill = 0;
            if (!over()) {
              // every chunk is filled before the next one is made: only the last one is partial
              chunk = new byte[next];
              next = Math.min(next * 2, LARGEST_CHUNK);
              if (!add(chunk)) {
                return;
              }
            }
            // over the limit: the last chunk is a scratch buffer for the rest, which is dropped
          }
          int n = in.read(chunk, fill, chunk.length - fill);
          if (n < 0) {
            return;
          }
          fill += n;
          if (!count(n)) {
            return;
          }
        }
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          error = e instanceof IOException io ? io : new IOException(e);
        }
      } finally {
        done.countDown();
      }
    }

    private synchronized boolean add(byte[] chunk) {
      if (abandoned) {
        return false;
      }
      chunks.add(chunk);
      return true;
    }

    private synchronized boolean count(int n) {
      if (abandoned) {
        return false;
      }
      total += n;
      if (!over && total > limit) {
        over = true;
        chunks = null;
      }
      return true;
    }

    synchronized boolean over() {
      return over;
    }

    /** Stops keeping what arrives; returns how many bytes had arrived. */
    synchronized long abandon() {
      abandoned = true;
      chunks = null;
      return total;
    }

    /** The chunks copied into one array of the input's size, each freed once it is copied. */
    byte[] assemble() {
      if (total == 0) {
        return EMPTY;
      }
      byte[] all = new byte[(int) total];
      int at = 0;
      for (int i = 0; i < chunks.size(); i++) {
        byte[] c = chunks.set(i, null);
        int n = Math.min(c.length, all.length - at);
        System.arraycopy(c, 0, all, at, n);
        at += n;
      }
      chunks = null;
      return all;
    }
  }
}
