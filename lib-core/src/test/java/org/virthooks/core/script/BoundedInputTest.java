package org.virthooks.core.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.virthooks.core.hook.DocumentLimit;

/** The bounded stdin reader: whole input, limit, drain, deadline, errors, UTF-8. */
class BoundedInputTest {
  private static final Duration LONG = Duration.ofSeconds(20);

  private static BoundedInput.Result<byte[]> read(InputStream in, Duration deadline, int limit) {
    return BoundedInput.read(in, deadline, limit, new BoundedInput.Bytes());
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void readsTheWholeInputIntoAnArrayOfItsSize() {
    for (int n : new int[] {0, 1, 16 << 10, (16 << 10) + 1, 3 << 20}) {
      byte[] in = random(n);
      // a trickle of short reads, as from a pipe
      BoundedInput.Result<byte[]> r = read(new Trickle(new ByteArrayInputStream(in), 4093),
          LONG, 4 << 20);
      assertThat(r.status()).as("%d bytes", n).isEqualTo(BoundedInput.Status.COMPLETE);
      assertThat(r.value()).as("%d bytes", n).hasSize(n).isEqualTo(in);
      assertThat(r.size()).isEqualTo(n);
      assertThat(r.problem()).isEmpty();
    }
  }

  @Test
  void exactlyTheLimitIsCompleteOneMoreIsOverAndTheRestIsDrained() {
    int limit = 100_000;
    BoundedInput.Result<byte[]> at = read(new ByteArrayInputStream(random(limit)), LONG, limit);
    assertThat(at.complete()).isTrue();
    assertThat(at.value()).hasSize(limit);

    Counting over = new Counting(new ByteArrayInputStream(random(5 * limit + 7)));
    BoundedInput.Result<byte[]> r = read(over, LONG, limit);
    assertThat(r.status()).isEqualTo(BoundedInput.Status.OVER_LIMIT);
    assertThatThrownBy(r::value).isInstanceOf(IllegalStateException.class)
        .hasMessage(r.problem());
    // read to its end, so that the writer never meets a closed pipe
    assertThat(over.count.get()).isEqualTo(5L * limit + 7);
    assertThat(r.size()).isEqualTo(5L * limit + 7);
    assertThat(r.problem()).isEqualTo(DocumentLimit.overLimit(5L * limit + 7));
  }

  @Test
  void theRealLimitIsDocumentLimits() throws Exception {
    InputStream big = new SequenceInputStream(new Zeros(DocumentLimit.MAX_BYTES),
        new ByteArrayInputStream(new byte[1]));
    BoundedInput.Result<String> r = BoundedInput.readUtf8(big, LONG);
    assertThat(r.status()).isEqualTo(BoundedInput.Status.OVER_LIMIT);
    assertThat(r.problem()).contains(Integer.toString(DocumentLimit.MAX_BYTES + 1));
  }

  @Test
  void anOpenSilentInputTimesOutWithinTheDeadline() throws Exception {
    try (PipedOutputStream writer = new PipedOutputStream();
         PipedInputStream in = new PipedInputStream(writer)) {
      writer.write("<domain>".getBytes());
      long t0 = System.nanoTime();
      BoundedInput.Result<byte[]> r = read(in, Duration.ofMillis(300), 1000);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.status()).isEqualTo(BoundedInput.Status.TIMED_OUT);
      assertThat(r.problem())
          .isEqualTo("standard input did not reach its end within 0.3 s (8 bytes read)");
      assertThat(r.size()).isEqualTo(8);
      assertThat(ms).isBetween(250L, 5_000L);
    }
  }

  @Test
  void inputOverTheLimitThatNeverEndsIsOverTheLimitNotTimedOut() throws Exception {
    try (PipedOutputStream writer = new PipedOutputStream();
         PipedInputStream in = new PipedInputStream(writer, 4096)) {
      writer.write(new byte[2000]);
      BoundedInput.Result<byte[]> r = read(in, Duration.ofMillis(300), 1000);
      assertThat(r.status()).isEqualTo(BoundedInput.Status.OVER_LIMIT);
      assertThat(r.size()).isEqualTo(-1);
      assertThat(r.problem()).isEqualTo(DocumentLimit.overLimit(-1));
    }
  }

  @Test
  void aReadErrorFails() {
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("Input/output error");
      }
    };
    BoundedInput.Result<byte[]> r = read(broken, LONG, 1000);
    assertThat(r.status()).isEqualTo(BoundedInput.Status.FAILED);
    assertThat(r.problem()).isEqualTo("standard input could not be read: Input/output error");
  }

  @Test
  void utf8IsDecodedAsNewStringDoesAcrossEveryReadBoundary() {
    // two-, three- and four-byte sequences, malformed and truncated ones, split by odd reads
    byte[] mixed = ("<domain><description>caf\u00e9 \u65e5\u672c \ud83d\ude00 ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xc3, 'x', (byte) 0xe6, (byte) 0x97, 'y', (byte) 0xf0, (byte) 0x9f,
        (byte) 0x98, (byte) 0xff, (byte) 0x80};
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < 20_000; i++) {
      all.writeBytes(mixed);
      all.writeBytes(bad);
    }
    all.writeBytes(new byte[] {(byte) 0xe6, (byte) 0x97}); // cut off at the very end
    byte[] in = all.toByteArray();
    String expected = new String(in, StandardCharsets.UTF_8);
    for (int step : new int[] {1, 7, 4093, 65_536, 1 << 20}) {
      BoundedInput.Result<String> r = BoundedInput.read(
          new Trickle(new ByteArrayInputStream(in), step), LONG, 8 << 20, new BoundedInput.Utf8());
      assertThat(r.complete()).isTrue();
      assertThat(r.size()).isEqualTo(in.length);
      assertThat(r.value()).as("reads of %d bytes", step).isEqualTo(expected);
    }
    assertThat(BoundedInput.readUtf8(new ByteArrayInputStream(new byte[0]), LONG).value())
        .isEmpty();
  }

  @Test
  void utf8OverTheLimitCountsBytesNotCharacters() {
    byte[] in = "\u00e9".repeat(600).getBytes(StandardCharsets.UTF_8); // 1200 bytes, 600 chars
    BoundedInput.Result<String> r = BoundedInput.read(new ByteArrayInputStream(in), LONG, 1000,
        new BoundedInput.Utf8());
    assertThat(r.status()).isEqualTo(BoundedInput.Status.OVER_LIMIT);
    assertThat(r.size()).isEqualTo(1200);
  }

  /** Hands out at most {@code max} bytes per read. */
  private static final class Trickle extends FilterInputStream {
    private final int max;

    Trickle(InputStream in, int max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, max));
    }
  }

  /** Counts what was read. */
  private static final class Counting extends FilterInputStream {
    final AtomicLong count = new AtomicLong();

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }

  /** {@code n} zero bytes without an array of that size. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long n) {
      left = n;
    }

    @Override
    public int read() {
      return left-- > 0 ? 0 : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
