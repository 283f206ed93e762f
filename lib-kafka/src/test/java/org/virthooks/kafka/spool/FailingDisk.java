package org.virthooks.kafka.spool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.virthooks.kafka.spool.internal.FileOpener;

/**
 * A disk that fills up on demand: while {@link #full} is set, a write puts half of its bytes
 * down (as a real full disk can) and then fails with ENOSPC's message.
 */
final class FailingDisk implements FileOpener {
  volatile boolean full;

  @Override
  public RandomAccessFile open(Path path) throws IOException {
    return new RandomAccessFile(path.toFile(), "rw") {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (full) {
          super.write(bytes, offset, length / 2);
          throw new IOException("No space left on device");
        }
        super.write(bytes, offset, length);
      }
    };
  }
}
