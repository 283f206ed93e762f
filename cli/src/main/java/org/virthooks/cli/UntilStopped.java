package org.virthooks.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a serving command running until it is stopped: SIGTERM or Ctrl-C, its latch counted
 * down (by tests, or by the command itself), a time limit, or an interrupt. Open it before what
 * it serves in one try-with-resources: on SIGTERM the shutdown hook then waits (up to 5 s) until
 * the served resources are closed, so sockets are removed before the JVM halts.
 */
final class UntilStopped implements AutoCloseable {
  private final CountDownLatch stop;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  /** Registers the shutdown hook; {@code stop} ends {@link #await} when counted down. */
  UntilStopped(String name, CountDownLatch stop) {
    this(name, stop, java.time.Duration.ofSeconds(5));
  }

  /**
   * As {@link #UntilStopped(String, CountDownLatch)}, the shutdown hook waiting up to
   * {@code closing} for the served resources to close (an agent draining its spool needs longer).
   */
  UntilStopped(String name, CountDownLatch stop, java.time.Duration closing) {
    this.stop = stop;
    long closingMillis = closing.toMillis();
    this.hook = new Thread(() -> {
      stop.countDown();
      try {
        closed.await(closingMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** With a latch of its own. */
  UntilStopped(String name) {
    this(name, new CountDownLatch(1));
  }

  /** Blocks until stopped, or for at most {@code seconds} when that is positive. */
  void await(long seconds) {
    try {
      if (seconds > 0) {
        stop.await(seconds, TimeUnit.SECONDS);
      } else {
        stop.await();
      }
    } catch (InterruptedException e) {
      // interrupted: stop serving
    }
  }

  /** True once stopped (polled by commands that loop). */
  boolean stopped() {
    return stop.getCount() == 0;
  }

  /** Lets a running shutdown hook return, or removes the hook. */
  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }
}
