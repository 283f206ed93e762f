package org.virthooks.kafka.spool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.virthooks.kafka.spool.internal.FileOpener;

/**
 * A disk that fills up on demand: while {@link #full} is set, a write puts half of its bytes
 * down (as a real full disk can) and then fails with ENOSPC's message. A {@link #gate} holds
 * writes back, so that a test can fill the disk while a group commit is under way.
 */
final class FailingDisk implements FileOpener {
  volatile boolean full;
  /** When 0 or more: that many more writes succeed, then the disk is {@link #full}. */
  volatile int writesBeforeFull = -1;
  /** While set, a write waits for it to open (after counting down {@link #writing}). */
  volatile CountDownLatch gate;
  final CountDownLatch writing = new CountDownLatch(1);
  /** How many of the next fsyncs fail with EIO's message (the ones after succeed). */
  volatile int fsyncFailures;

  @Override
  public void force(FileChannel channel) throws IOException {
    if (fsyncFailures > 0) {
      fsyncFailures--;
      throw new IOException("Input/output error");
    }
    channel.force(false);
  }

  @Override
  public RandomAccessFile open(Path path) throws IOException {
    return new RandomAccessFile(path.toFile(), "rw") {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        CountDownLatch wait = gate;
        if (wait != null) {
          writing.countDown();
          try {
            wait.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
          }
        }
        if (writesBeforeFull == 0) {
          full = true;
          writesBeforeFull = -1;
        } else if (writesBeforeFull > 0) {
          writesBeforeFull--;
        }
        if (full) {
          super.write(bytes, offset, length / 2);
          throw new IOException("No space left on device");
        }
        super.write(bytes, offset, length);
      }
    };
  }
}
