package org.virthooks.kafka.spool;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The crash test's child JVM: opens a spool (fsync on, the defaults) with the kit subclass named
 * in {@code args[0]} on {@code args[1]}, appends from 4 threads as fast as it can and writes
 * {@code S<sequence>E} on a line of its own once each append has returned, until it is killed.
 */
public final class SpoolCrashChild {
  private SpoolCrashChild() {}

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    SpoolCompatibilityKit kit = (SpoolCompatibilityKit) Class.forName(args[0])
        .getDeclaredConstructor().newInstance();
    Spool spool = kit.open(SpoolConfig.defaults(Path.of(args[1])), (from, to, count) -> { });
    // unbuffered: each line is one write(2) of a few bytes, atomic on a pipe
    FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread appender = new Thread(() -> {
        try {
          for (int i = 0; ; i++) {
            long sequence = spool.append(("crash-" + thread + "-" + i + "-" + "p".repeat(100))
                .getBytes(UTF_8));
            synchronized (out) {
              out.write(("S" + sequence + "E\n").getBytes(UTF_8));
            }
          }
        } catch (IOException | InterruptedException e) {
          e.printStackTrace();
        }
      });
      appender.start();
      threads.add(appender);
    }
    for (Thread appender : threads) {
      appender.join();
    }
  }
}
