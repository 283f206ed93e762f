package org.virthooks.xen.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.OversizedFrameException;

/**
 * One client socket of the server: a thread that reads frames and hands them to the connection's
 * {@link XenstoreSession}, and the queue of what the session sends, written in order.
 */
final class XenstoreConnection implements XenstoreSession.Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(XenstoreConnection.class);
  /** Queued messages a connection may leave unread before the server drops it. */
  private static final int MAX_QUEUED = 4096;

  /** What the server hears from its connections. */
  interface Owner {
    /** A request was handled: its replies, and the events it caused elsewhere, are queued. */
    void answered();

    /** The connection was closed, by either side; its thread is about to end. */
    void closed(XenstoreConnection c);

    /** The connection's thread ended: its slot is free. */
    void ended(XenstoreConnection c);
  }

  private final SocketChannel channel;
  private final Owner owner;
  private final XenstoreSession session;
  private final Thread thread;
  private final ConcurrentLinkedQueue<ByteBuffer> out = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean dead;
  /** {@link System#nanoTime()} of the last request, or of the accept before the first. */
  private volatile long lastRequest = System.nanoTime();

  XenstoreConnection(SocketChannel channel, Store store, int domid, XenstoreSession.Limits limits,
      Owner owner) {
    this.channel = channel;
    this.owner = owner;
    this.thread = new Thread(this::serve, "xenstore-server-conn");
    thread.setDaemon(true);
    // last: from here on, other sessions' changes may queue events here
    this.session = XenstoreSession.open(store, domid, limits, this);
  }

  void start() {
    thread.start();
  }

  long lastRequest() {
    return lastRequest;
  }

  private void serve() {
    ByteBuffer header = ByteBuffer.allocate(Frame.HEADER);
    try {
      while (!dead) {
        Frame f = Frame.read(channel, header, Frame.PAYLOAD_MAX);
        if (f == null) {
          break;
        }
        lastRequest = System.nanoTime();
        session.handle(f);
        owner.answered();
      }
    } catch (OversizedFrameException e) {
      // xenstored drops a connection that breaks the length limit: it cannot resynchronise
      LOG.info("closing xenstore connection: {}", e.getMessage());
    } catch (IOException e) {
      if (!dead) {
        LOG.debug("xenstore connection ended: {}", e.getMessage());
      }
    } finally {
      close();
      owner.ended(this);
    }
  }

  /** Queues a message; a connection that leaves too many unread is dropped. */
  @Override
  public void send(Frame f) {
    if (dead) {
      return;
    }
    if (queued.incrementAndGet() > MAX_QUEUED) {
      LOG.info("dropping xenstore connection that does not read its messages");
      // only mark and close: the caller may be iterating this session's watches
      close();
      return;
    }
    out.add(f.encode());
  }

  /** Writes what is queued; whoever holds the lock writes for everyone (keeps the order). */
  void flush() {
    while (!out.isEmpty() && !dead) {
      if (!writeLock.tryLock()) {
        return;
      }
      try {
        ByteBuffer b;
        while ((b = out.poll()) != null) {
          queued.decrementAndGet();
          while (b.hasRemaining()) {
            channel.write(b);
          }
        }
      } catch (IOException e) {
        close();
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Closes the socket, which ends the thread; safe from any thread, more than once. */
  void close() {
    dead = true;
    session.close();
    owner.closed(this);
    try {
      channel.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** Waits at most {@code d} for the thread to end. */
  void join(Duration d) {
    try {
      thread.join(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
