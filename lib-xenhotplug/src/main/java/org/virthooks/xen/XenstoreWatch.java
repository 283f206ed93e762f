package org.virthooks.xen;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch set by a {@link XenstoreClient}: its events queue here until taken with
 * {@link #next(Duration)}. {@link #close()} removes the watch.
 */
public final class XenstoreWatch implements AutoCloseable {
  private static final WatchEvent BROKEN = new WatchEvent("", "");

  private final XenstoreClient client;
  private final String path;
  private final String token;
  private final LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
  private volatile boolean ended;

  XenstoreWatch(XenstoreClient client, String path, String token) {
    this.client = client;
    this.path = path;
    this.token = token;
  }

  /** The watched path as given. */
  public String path() {
    return path;
  }

  /** The token. */
  public String token() {
    return token;
  }

  void offer(WatchEvent e) {
    events.add(e);
  }

  void broken() {
    ended = true;
    events.add(BROKEN);
  }

  /**
   * The next event, waiting at most {@code timeout}.
   *
   * @return empty when none came in time
   * @throws IOException when the connection broke
   */
  public Optional<WatchEvent> next(Duration timeout) throws IOException {
    try {
      WatchEvent e = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (e == BROKEN) {
        events.add(BROKEN);
        throw new IOException("xenstore connection ended; watch on " + path + " is gone");
      }
      return Optional.ofNullable(e);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for a watch event");
    }
  }

  /** Removes the watch from the daemon. */
  @Override
  public void close() throws IOException {
    if (!ended) {
      ended = true;
      client.unwatch(this);
    }
  }
}
