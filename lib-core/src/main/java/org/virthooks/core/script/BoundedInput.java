package org.virthooks.core.script;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * BoundedInput.Result<String> r = BoundedInput.readUtf8(System.in, Duration.ofSeconds(10));
 * if (!r.complete()) {
 *   // before and filter points: refuse with r.problem(); after points: warn and go on
 * }
 * String document = r.value();
 * }</pre>
 *
 * <p>The input is read on a daemon thread, because a blocked read of a pipe cannot be timed out
 * or interrupted; after a timeout that thread stays blocked until the input ends or the JVM exits,
 * keeping nothing it read. Input over the limit is read to its end and discarded within the same
 * deadline: the writer sees this process answer and exit, not a broken pipe.
 *
 * <p>Memory: the input is gathered in pieces and made into its value once, at its exact size, so
 * it costs at most twice what the value takes, and only while the value is made: {@link #read}
 * keeps chunks of bytes and copies them into one array; {@link #readUtf8} decodes as the input
 * arrives, keeping pieces of text and no bytes, and joins them into one string.
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

  private static final byte[] EMPTY = new byte[0];

  private BoundedInput() {}

  /**
   * Reads {@code in} to its end as bytes, at most {@link DocumentLimit#MAX_BYTES}, within
   * {@code deadline}.
   */
  public static Result<byte[]> read(InputStream in, Duration deadline) {
    return read(in, deadline, DocumentLimit.MAX_BYTES, new Bytes());
  }

  /**
   * Reads {@code in} to its end as UTF-8 text (malformed input replaced, as
   * {@code new String(bytes, UTF_8)} does), at most {@link DocumentLimit#MAX_BYTES} bytes, within
   * {@code deadline}.
   */
  public static Result<String> readUtf8(InputStream in, Duration deadline) {
    return read(in, deadline, DocumentLimit.MAX_BYTES, new Utf8());
  }

  /** As the public methods with another limit, so tests need not send 32 MiB. */
  static <T> Result<T> read(InputStream in, Duration deadline, int limit, Store<T> store) {
    Checks.notNull("in", in);
    Checks.notNull("deadline", deadline);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    Pump<T> pump = new Pump<>(in, limit, store);
    Thread t = new Thread(pump, "virthooks-stdin");
    t.setDaemon(true);
    t.start();
    boolean ended;
    try {
      ended = pump.done.await(Checks.saturatedNanos(deadline), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pump.abandon();
      return new Result<>(Status.FAILED, null, -1, "the wait for standard input was interrupted");
    }
    if (!ended) {
      long read = pump.abandon();
      if (pump.over()) {
        return overLimit(-1);
      }
      return new Result<>(Status.TIMED_OUT, null, read, "standard input did not reach its end "
          + "within " + seconds(deadline) + " (" + read + " bytes read)");
    }
    // the latch orders everything the pump did before this
    if (pump.over) {
      return overLimit(pump.ended ? pump.total : -1);
    }
    if (!pump.ended) {
      Throwable e = pump.error;
      String why = e == null ? "reading stopped"
          : e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
      return new Result<>(Status.FAILED, null, pump.total, "standard input could not be read: "
          + why);
    }
    try {
      return new Result<>(Status.COMPLETE, pump.finish(), pump.total, "");
    } catch (OutOfMemoryError e) {
      // the one large allocation failed and is gone: the caller can still give its answer
      return new Result<>(Status.FAILED, null, pump.total, "standard input could not be read: "
          + e);
    }
  }

  private static <T> Result<T> overLimit(long size) {
    return new Result<>(Status.OVER_LIMIT, null, size, DocumentLimit.overLimit(size));
  }

  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  /**
   * What a read got: the input when complete, else a sentence about what went wrong.
   *
   * @param <T> {@code byte[]} or {@code String}
   */
  public static final class Result<T> {
    private final Status status;
    private final T value;
    private final long size;
    private final String problem;

    Result(Status status, T value, long size, String problem) {
      this.status = status;
      this.value = value;
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
     * The whole input, when complete. Not a copy (nothing else holds it): a caller that drops
     * this result and the value frees the memory.
     *
     * @throws IllegalStateException when the read was not complete, with {@link #problem()}
     */
    public T value() {
      if (!complete()) {
        throw new IllegalStateException(problem);
      }
      return value;
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

  /**
   * Where the pump puts what it reads until the input ends; then makes the value, once. Used by
   * one thread at a time.
   */
  abstract static class Store<T> {
    /** The array to read into next; there is room in it from {@link #at()} on. */
    abstract byte[] space();

    /** Where in {@link #space()} the next bytes go. */
    abstract int at();

    /** {@code n} more bytes were read into the space. */
    abstract void took(int n);

    /** The input ended: its value. */
    abstract T finish();
  }

  /** Chunks of bytes, each filled before the next is made, copied once into an exact array. */
  static final class Bytes extends Store<byte[]> {
    // small first: a hook document is typically a few KiB; larger chunks for large input keep
    // their number down, the last one wasting at most its size until the copy. At most 256 KiB:
    // under half of G1's smallest region, which G1 would otherwise give each chunk whole
    private static final int FIRST_CHUNK = 16 << 10;
    private static final int LARGEST_CHUNK = 256 << 10;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk = EMPTY;
    private int fill;
    private int next = FIRST_CHUNK;
    private long total;

    @Override
    byte[] space() {
      if (fill == chunk.length) {
        chunk = new byte[next];
        next = Math.min(next * 2, LARGEST_CHUNK);
        fill = 0;
        chunks.add(chunk);
      }
      return chunk;
    }

    @Override
    int at() {
      return fill;
    }

    @Override
    void took(int n) {
      fill += n;
      total += n;
    }

    @Override
    byte[] finish() {
      if (total == 0) {
        return EMPTY;
      }
      byte[] all = new byte[Math.toIntExact(total)];
      int at = 0;
      for (int i = 0; i < chunks.size(); i++) {
        byte[] c = chunks.set(i, null);
        int n = Math.min(c.length, all.length - at);
        System.arraycopy(c, 0, all, at, n);
        at += n;
      }
      chunk = EMPTY;
      return all;
    }
  }

  /**
   * UTF-8 decoded as it arrives into pieces of text, joined once: the bytes are never all held,
   * and the pieces are as compact as the string they make (one byte a character when they can).
   */
  static final class Utf8 extends Store<String> {
    private static final int BUFFER = 64 << 10;
    private final byte[] buffer = new byte[BUFFER];
    // bytes in the buffer not decoded yet: an incomplete sequence of up to 3, then new input
    private int have;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer text = CharBuffer.allocate(BUFFER);
    private final List<String> pieces = new ArrayList<>();

    @Override
    byte[] space() {
      return buffer;
    }

    @Override
    int at() {
      return have;
    }

    @Override
    void took(int n) {
      ByteBuffer in = ByteBuffer.wrap(buffer, 0, have + n);
      decode(in, false);
      have = in.remaining();
      System.arraycopy(buffer, in.position(), buffer, 0, have);
    }

    @Override
    String finish() {
      decode(ByteBuffer.wrap(buffer, 0, have), true);
      while (decoder.flush(text).isOverflow()) {
        keep();
      }
      keep();
      String all = String.join("", pieces);
      pieces.clear();
      return all;
    }

    private void decode(ByteBuffer in, boolean end) {
      // malformed input is replaced, so the decoder only ever stops for room or for more input
      while (decoder.decode(in, text, end).isOverflow()) {
        keep();
      }
    }

    private void keep() {
      if (text.position() > 0) {
        pieces.add(new String(text.array(), 0, text.position()));
        text.clear();
      }
    }
  }

  /** Reads on its own thread; what it read is handed over once, after {@link #done}. */
  private static final class Pump<T> implements Runnable {
    private final InputStream in;
    private final int limit;
    final CountDownLatch done = new CountDownLatch(1);
    // guarded by this until done, then the caller's alone
    private Store<T> store;
    long total;
    boolean over;
    private boolean abandoned;
    boolean ended;
    Throwable error;

    Pump(InputStream in, int limit, Store<T> store) {
      this.in = in;
      this.limit = limit;
      this.store = store;
    }

    @Override
    public void run() {
      // over the limit, the rest is read into this and dropped
      byte[] scratch = null;
      try {
        while (true) {
          byte[] into;
          int at;
          synchronized (this) {
            if (abandoned) {
              return;
            }
            if (over) {
              scratch = scratch == null ? new byte[64 << 10] : scratch;
              into = scratch;
              at = 0;
            } else {
              into = store.space();
              at = store.at();
            }
          }
          int n = in.read(into, at, into.length - at);
          if (n < 0) {
            synchronized (this) {
              ended = true;
            }
            return;
          }
          if (!count(n)) {
            return;
          }
        }
      } catch (Throwable e) {
        // an error (out of memory, too) must not pass for the end of the input
        synchronized (this) {
          error = e;
        }
      } finally {
        done.countDown();
      }
    }

    private synchronized boolean count(int n) {
      if (abandoned) {
        return false;
      }
      total += n;
      if (!over && total > limit) {
        over = true;
        store = null;
      } else if (!over) {
        store.took(n);
      }
      return true;
    }

    synchronized boolean over() {
      return over;
    }

    /** Stops keeping what arrives, and reading once it can; returns how many bytes had arrived. */
    synchronized long abandon() {
      abandoned = true;
      store = null;
      return total;
    }

    T finish() {
      T value = store.finish();
      store = null;
      return value;
    }
  }
}
