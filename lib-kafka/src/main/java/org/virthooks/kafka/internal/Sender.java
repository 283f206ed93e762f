package org.virthooks.kafka.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.feed.Backoff;
import org.virthooks.kafka.SenderState;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.SpoolRecord;

/**
 * The one thread that reads the spool and sends: records go to the producer in spool order, a
 * record is acknowledged in the spool only once the producer's callback confirmed it and every
 * record before it. On any failure the producer is closed at once (its other sends fail and are
 * forgotten), the sender backs off, builds a new producer and sends again from the lowest
 * unacknowledged sequence. Duplicates come only from that rewind, so they are bounded by the
 * window of records in flight; records sent again are counted.
 */
public final class Sender implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
  private static final int READ_RECORDS = 512;
  private static final long READ_BYTES = 1 << 20;
  // acknowledging checkpoints the spool: batch it rather than pay a file write per callback
  private static final long ACK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int ACK_EVERY_RECORDS = 4096;

  private static final int PENDING = 0;
  private static final int DONE = 1;
  private static final int FAILED = 2;
  private static final int REJECTED = 3;

  private final Spool spool;
  private final String topic;
  private final Supplier<Producer<byte[], byte[]>> producers;
  private final Backoff backoff;
  private final int window;
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private volatile SenderState state = SenderState.NEW;
  private volatile long oldestUnackedAt;
  private volatile boolean failed;
  private volatile boolean draining;
  private volatile long drainDeadline;
  // a failure counts only for the producer it happened on: a closed one's fail too
  private volatile int generation;
  private volatile boolean stopNow;
  private volatile Thread thread;
  private Producer<byte[], byte[]> producer;
  private long highestSent;
  private long next;
  private volatile long ackedTo;
  private long lastAckNanos = System.nanoTime();
  private int failuresInARow;

  /**
   * A sender of {@code spool} to {@code topic}, with {@code first} its first producer (made by
   * the sink's build, so that a bad configuration fails there) and {@code producers} for new ones.
   */
  public Sender(Spool spool, String topic, Producer<byte[], byte[]> first,
      Supplier<Producer<byte[], byte[]>> producers, Backoff backoff, int window) {
    this.spool = spool;
    this.topic = topic;
    this.producer = first;
    this.producers = producers;
    this.backoff = backoff;
    this.window = window;
  }

  /** Starts the sender's thread, a daemon named {@code name}. */
  public void start(String name) {
    Thread t = new Thread(this, name);
    t.setDaemon(true);
    thread = t;
    state = SenderState.SENDING;
    t.start();
  }

  @Override
  public void run() {
    next = spool.firstUnacknowledged();
    ackedTo = next - 1;
    highestSent = ackedTo;
    try {
      while (!stopNow) {
        settle();
        if (failed) {
          recover();
          continue;
        }
        if (drained() || pastDeadline()) {
          break;
        }
        sendMore();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.error("Kafka sender stopped: {}; unacknowledged events stay in the spool", e.toString(),
          e);
    } finally {
      finish();
    }
  }

  private boolean pastDeadline() {
    return draining && System.nanoTime() - drainDeadline >= 0;
  }

  private boolean drained() {
    return draining && inFlight.isEmpty()
        && spool.firstUnacknowledged() >= spool.nextSequence();
  }

  private void sendMore() throws IOException, InterruptedException {
    if (inFlight.size() >= window) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      return;
    }
    // completions are collected between reads: a short wait while records are in flight
    Duration wait = inFlight.isEmpty() ? Duration.ofMillis(100) : Duration.ofMillis(2);
    if (!spool.awaitRecord(next, wait)) {
      return;
    }
    List<SpoolRecord> batch = spool.read(next, Math.min(READ_RECORDS, window - inFlight.size()),
        READ_BYTES);
    for (SpoolRecord r : batch) {
      if (failed) {
        return;
      }
      SpooledEvent event = SpooledEvent.decode(r.payload());
      InFlight f = new InFlight(r.sequence(), event.appendedAtMillis());
      if (inFlight.isEmpty() && oldestUnackedAt == 0) {
        oldestUnackedAt = f.appendedAt;
      }
      inFlight.addLast(f);
      if (r.sequence() <= highestSent) {
        resent.incrementAndGet();
      } else {
        sent.incrementAndGet();
        highestSent = r.sequence();
      }
      try {
        producer.send(event.toRecord(topic, r.sequence()), f);
      } catch (RuntimeException e) {
        // a closed or broken producer throws rather than calling back: the same as a failure
        f.onCompletion(null, e);
      }
      next = r.sequence() + 1;
    }
  }

  /** Pops the confirmed prefix, acknowledges it in the spool now and then. */
  private void settle() throws IOException {
    long before = ackedTo;
    InFlight head;
    while ((head = inFlight.peekFirst()) != null && head.status >= DONE && head.status != FAILED) {
      inFlight.pollFirst();
      ackedTo = head.sequence;
      if (head.status == REJECTED) {
        rejected.incrementAndGet();
      } else {
        acknowledged.incrementAndGet();
      }
      failuresInARow = 0;
    }
    if (ackedTo != before) {
      oldestUnackedAt = inFlight.isEmpty() ? 0 : inFlight.peekFirst().appendedAt;
    }
    long now = System.nanoTime();
    if (ackedTo >= spool.firstUnacknowledged()
        && (now - lastAckNanos >= ACK_EVERY_NANOS || ackedTo - before >= ACK_EVERY_RECORDS
            || inFlight.isEmpty())) {
      spool.acknowledge(ackedTo);
      lastAckNanos = now;
    }
  }

  private void recover() throws IOException, InterruptedException {
    state = SenderState.BACKING_OFF;
    failures.incrementAndGet();
    failuresInARow++;
    // close at once: the sends still queued fail and are forgotten, none may land after the
    // resends (that would break per-key order)
    closeProducer(Duration.ZERO);
    generation++;
    settle();
    next = inFlight.isEmpty() ? next : inFlight.peekFirst().sequence;
    inFlight.clear();
    failed = false;
    Duration delay = backoff.delay(failuresInARow);
    LOG.warn("Kafka send failed ({} in a row); sending again from spool sequence {} in {} ms",
        failuresInARow, next, delay.toMillis());
    long until = System.nanoTime() + delay.toNanos();
    while (!stopNow && System.nanoTime() - until < 0 && !pastDeadline()) {
      LockSupport.parkNanos(Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    if (stopNow || pastDeadline()) {
      return;
    }
    producer = producers.get();
    state = draining ? SenderState.DRAINING : SenderState.SENDING;
  }

  private void finish() {
    long left = draining ? Math.max(0, drainDeadline - System.nanoTime()) : 0;
    closeProducer(stopNow ? Duration.ZERO : Duration.ofNanos(left));
    try {
      settle();
      if (ackedTo >= spool.firstUnacknowledged()) {
        spool.acknowledge(ackedTo);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not acknowledge the last sends: {}; they will be sent again", e.toString());
    }
    state = SenderState.CLOSED;
  }

  private void closeProducer(Duration timeout) {
    Producer<byte[], byte[]> p = producer;
    producer = null;
    if (p != null) {
      try {
        p.close(timeout);
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
    }
  }

  /**
   * Sends what it can until everything is acknowledged or {@code grace} has passed, then stops and
   * waits for the thread. A sender never started only closes its producer.
   */
  public void close(Duration grace) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      closeProducer(Duration.ZERO);
      state = SenderState.CLOSED;
      return;
    }
    drainDeadline = System.nanoTime() + grace.toNanos();
    draining = true;
    if (state == SenderState.SENDING) {
      state = SenderState.DRAINING;
    }
    t.join(grace.toMillis() + 1000);
    if (t.isAlive()) {
      // a send stuck on metadata (max.block.ms) or a spool call: stop without waiting further
      stopNow = true;
      t.interrupt();
      t.join();
    }
  }

  /** The state. */
  public SenderState state() {
    return state;
  }

  /** Records sent for the first time. */
  public long sent() {
    return sent.get();
  }

  /** Records sent again after a failure: an upper bound of the duplicates. */
  public long resent() {
    return resent.get();
  }

  /** Records the broker confirmed, in the acknowledged prefix. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** The highest spool sequence confirmed with all before it; 0 before the first. */
  public long acknowledgedThrough() {
    return ackedTo;
  }

  /** Records the broker can never take (too large, invalid): logged and skipped. */
  public long rejected() {
    return rejected.get();
  }

  /** Failures that made the sender back off. */
  public long failures() {
    return failures.get();
  }

  /** Epoch millis when the oldest unacknowledged record in flight was appended; 0 for none. */
  public long oldestUnackedAt() {
    return oldestUnackedAt;
  }

  /** One record handed to the producer; its callback. */
  private final class InFlight implements Callback {
    final long sequence;
    final long appendedAt;
    final int generationSent = generation;
    volatile int status = PENDING;

    InFlight(long sequence, long appendedAt) {
      this.sequence = sequence;
      this.appendedAt = appendedAt;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
      if (e == null) {
        status = DONE;
      } else if (e instanceof RecordTooLargeException || e instanceof InvalidRecordException) {
        // no resend can ever succeed; stalling every later event behind it would be worse
        LOG.error("Kafka refuses spool record {} for good, skipped: {}", sequence, e.toString());
        status = REJECTED;
      } else {
        status = FAILED;
        if (generationSent == generation && !failed) {
          LOG.debug("send of spool record {} failed: {}", sequence, e.toString());
          failed = true;
        }
      }
    }
  }
}
