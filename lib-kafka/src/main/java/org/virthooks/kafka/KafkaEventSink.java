package org.virthooks.kafka;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.feed.Backoff;
import org.virthooks.kafka.internal.LossLedger;
import org.virthooks.kafka.internal.Sender;
import org.virthooks.kafka.internal.SpooledEvent;
import org.virthooks.kafka.spool.FullPolicy;
import org.virthooks.kafka.spool.SegmentSpool;
import org.virthooks.kafka.spool.Spool;
import org.virthooks.kafka.spool.SpoolConfig;

/**
 * Every event published here onto a Kafka topic as a CloudEvent, at least once, through a local
 * {@link Spool}. {@link #publish} encodes the event and appends it to the spool, and returns once
 * the append is durable: it never waits on Kafka. A background sender reads the spool and sends
 * with {@code acks=all} and idempotence, acknowledges a record in the spool only once the broker
 * confirmed it and everything before it, and on any failure backs off, builds a new producer and
 * sends again from the lowest unacknowledged record: per-key order kept, duplicates (same
 * CloudEvents {@code id}) possible and counted in {@link #resent()}.
 *
 * <pre>{@code
 * try (KafkaEventSink kafka = KafkaEventSink.builder()
 *         .bootstrapServers("broker-1:9092")
 *         .topic("virt-events")
 *         .spool(SpoolConfig.defaults(Path.of("/var/lib/virthooks/spool")))
 *         .build().start()) {
 *   events.on(VirtEvent.class, kafka::publish);
 *   ...
 * }
 * }</pre>
 *
 * <p>Under {@link FullPolicy#DROP_OLDEST} a full spool drops its oldest records and the sink
 * appends a {@link SourceEvent} of kind {@link SourceEvent.Kind#EVENTS_DROPPED} (source
 * {@code kafka-sink:<host id>}, attributes {@code count}, {@code fromSequence},
 * {@code toSequence} and {@code ranges} ({@code 1-11,15-22}): spool sequences, the
 * {@code sequence} extension of the records). A marker that is itself dropped has its loss
 * reported again by the next, so the markers that arrive account for every dropped record. A
 * record dropped while in flight may still arrive, so the markers are an upper bound of the loss.
 * Thread-safe: any thread may publish.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {
  /** The adapter name of the loss marker's source. */
  public static final String MARKER_ADAPTER = "kafka-sink";
  /** The action of the loss marker. */
  public static final String DROPPED_ACTION = "events-dropped";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);
  private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})");
  private static final ThreadLocal<ArrayDeque<long[]>> NESTED_DROPS = new ThreadLocal<>();
  private static final long DROP_LOG_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  private final String topic;
  private final String hostId;
  private final String incarnation;
  private final ContentMode mode;
  private final Duration closeGrace;
  private final Spool spool;
  private final Sender sender;
  private final EventStamper markers;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong appendFailures = new AtomicLong();
  private final AtomicLong droppedUnlogged = new AtomicLong();
  private final LossLedger losses = new LossLedger();
  private final AtomicLong lastDropLog = new AtomicLong();
  private final Object lifecycle = new Object();
  private volatile boolean started;
  private volatile boolean closed;

  private KafkaEventSink(Builder b) throws IOException {
    this.topic = b.topic;
    this.hostId = b.hostId;
    this.mode = b.mode;
    this.closeGrace = b.closeGrace;
    // ids are <host>/<incarnation>/<spool sequence>: unique even if the spool directory is
    // wiped and numbers from 1 again; stored with each record, so a resend keeps its id
    this.incarnation = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    this.markers = new EventStamper(SourceId.of(MARKER_ADAPTER, hostId));
    Map<String, Object> config = producerConfig(b);
    Producer<byte[], byte[]> first = newProducer(config);
    try {
      this.spool = b.spoolOpener.open(b.spoolConfig, this::onDropped);
    } catch (IOException | RuntimeException e) {
      first.close(Duration.ZERO);
      throw e;
    }
    this.sender = new Sender(spool, topic, first, () -> newProducer(config), b.backoff,
        b.maxInFlight);
    if (!spool.recovery().isClean()) {
      LOG.warn("Kafka spool {}: {}", b.spoolConfig.directory(), spool.recovery().message());
    }
  }

  /** A builder; bootstrap servers, topic and spool are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the sender; events published before are in the spool and go first. Returns this. */
  public KafkaEventSink start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("Kafka sink closed");
      }
      if (!started) {
        started = true;
        sender.start("virthooks-kafka-sender-" + topic);
      }
    }
    return this;
  }

  /**
   * Appends {@code event} to the spool and returns once it is durable; never waits on Kafka.
   *
   * @throws UncheckedIOException when the spool does not keep it (full under
   *     {@link FullPolicy#BLOCK} past its bound, a disk error; counted in
   *     {@link #appendFailures()}), wrapping an {@link InterruptedIOException} when interrupted
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void publish(VirtEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      throw new IllegalStateException("Kafka sink closed: " + event.kindName() + " not spooled");
    }
    append(event);
    published.incrementAndGet();
  }

  /**
   * Appends {@code events} to the spool in their order and returns once all are durable: one
   * group commit for the lot, so a thread holding many events (a resynchronisation, a queue
   * drained at once) pays one fsync instead of one per event. All or none are spooled; never
   * waits on Kafka.
   *
   * @throws UncheckedIOException as {@link #publish}, for the whole batch (counted once per
   *     event in {@link #appendFailures()})
   * @throws IllegalStateException after {@link #close()}
   */
  public void publishAll(List<? extends VirtEvent> events) {
    Objects.requireNonNull(events, "events");
    if (events.isEmpty()) {
      return;
    }
    if (closed) {
      throw new IllegalStateException("Kafka sink closed: " + events.size()
          + " events not spooled");
    }
    long now = System.currentTimeMillis();
    List<byte[]> stored = new ArrayList<>(events.size());
    for (VirtEvent event : events) {
      stored.add(SpooledEvent.encode(Objects.requireNonNull(event, "event"), hostId, incarnation,
          mode, now));
    }
    spool(stored, events.size() + " events");
    published.addAndGet(events.size());
  }

  private long append(VirtEvent event) {
    return spool(List.of(SpooledEvent.encode(event, hostId, incarnation, mode,
        System.currentTimeMillis())), "event");
  }

  /** Appends the encoded events, all or none; the first one's sequence. */
  private long spool(List<byte[]> stored, String what) {
    try {
      return spool.appendAll(stored);
    } catch (IOException e) {
      appendFailures.addAndGet(stored.size());
      throw new UncheckedIOException(what + " not spooled: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      appendFailures.addAndGet(stored.size());
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted while spooling"));
    }
  }

  /**
   * The spool's drop listener: append a marker. Appending it may drop again, on this thread; such
   * a nested drop is queued and marked once the outer append returns, so markers never recurse.
   * The ledger's lock is held across the marker's append so that no other thread's drop can take
   * the marker before the ledger knows its sequence.
   */
  private void onDropped(long fromSequence, long toSequence, long count) {
    dropped.addAndGet(count);
    ArrayDeque<long[]> nested = NESTED_DROPS.get();
    if (nested != null) {
      nested.add(new long[] {fromSequence, toSequence, count});
      return;
    }
    ArrayDeque<long[]> queue = new ArrayDeque<>();
    queue.add(new long[] {fromSequence, toSequence, count});
    NESTED_DROPS.set(queue);
    try {
      long[] d;
      while ((d = queue.poll()) != null) {
        logDrop(d[0], d[1], d[2]);
        synchronized (losses) {
          losses.delivered(sender.acknowledgedThrough());
          LossLedger.Loss loss = losses.dropped(d[0], d[1], d[2]);
          try {
            losses.marked(append(lossMarker(loss)), loss);
          } catch (UncheckedIOException e) {
            LOG.error("the loss marker for spool sequences {} could not be spooled: {}",
                loss.rangesText(), e.getMessage());
          }
        }
      }
    } finally {
      NESTED_DROPS.remove();
    }
  }

  /** A warning at the first drop, then at most one every 10 s with what was dropped since. */
  private void logDrop(long fromSequence, long toSequence, long count) {
    long since = droppedUnlogged.addAndGet(count);
    long now = System.nanoTime();
    long last = lastDropLog.get();
    if ((last == 0 || now - last >= DROP_LOG_EVERY_NANOS) && lastDropLog.compareAndSet(last,
        now == 0 ? 1 : now)) {
      droppedUnlogged.addAndGet(-since);
      LOG.warn("Kafka spool full (DROP_OLDEST): {} events dropped, the last spool sequences "
          + "{}..{}; each drop is marked by an events-dropped event", since, fromSequence,
          toSequence);
    }
  }

  private SourceEvent lossMarker(LossLedger.Loss loss) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("count", Long.toString(loss.count()));
    attributes.put("fromSequence", Long.toString(loss.from()));
    attributes.put("toSequence", Long.toString(loss.to()));
    attributes.put("ranges", loss.rangesText());
    return SourceEvent.of(markers.next(DROPPED_ACTION, attributes),
        SourceEvent.Kind.EVENTS_DROPPED, String.format(Locale.ROOT,
            "the Kafka spool was full (policy DROP_OLDEST): %d events dropped, spool sequences "
                + "%s", loss.count(), loss.rangesText()));
  }

  /**
   * Stops taking events, sends what it can within the close grace period, then stops the sender
   * and closes the spool; what was not acknowledged stays there for the next start. No thread is
   * left.
   */
  @Override
  public void close() throws IOException {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      sender.close(closeGrace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      spool.close();
    }
  }

  /** The topic written to. */
  public String topic() {
    return topic;
  }

  /** The host id in every record's {@code source}, {@code id} and key. */
  public String hostId() {
    return hostId;
  }

  /** The sender's state. */
  public SenderState senderState() {
    return sender.state();
  }

  /** Events published and spooled (loss markers not included). */
  public long published() {
    return published.get();
  }

  /** Records sent for the first time. */
  public long sent() {
    return sender.sent();
  }

  /** Records sent again after a failure: an upper bound of the duplicates on the topic. */
  public long resent() {
    return sender.resent();
  }

  /** Records the broker confirmed (and all before them): they leave the spool. */
  public long acknowledged() {
    return sender.acknowledged();
  }

  /** Records dropped by a full spool under {@link FullPolicy#DROP_OLDEST}. */
  public long dropped() {
    return dropped.get();
  }

  /** Records Kafka refuses for good (too large, invalid): logged and skipped, never resent. */
  public long rejected() {
    return sender.rejected();
  }

  /** Publishes the spool did not keep (full under {@link FullPolicy#BLOCK}, a disk error). */
  public long appendFailures() {
    return appendFailures.get();
  }

  /** Failures that made the sender back off and send again. */
  public long sendFailures() {
    return sender.failures();
  }

  /** Unacknowledged records in the spool. */
  public long spoolDepthEvents() {
    return spool.depthRecords();
  }

  /** Bytes the unacknowledged records take on disk. */
  public long spoolDepthBytes() {
    return spool.depthBytes();
  }

  /** How long the oldest record in flight has waited since it was published; zero for none. */
  public Duration oldestUnacknowledgedAge() {
    long at = sender.oldestUnackedAt();
    return at == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - at));
  }

  /** The spool, for its sequence numbers and recovery report; not for appending or reading. */
  public Spool spool() {
    return spool;
  }

  private static Map<String, Object> producerConfig(Builder b) {
    Map<String, Object> c = new HashMap<>();
    // settings the user may change, chosen for an event stream: small batches go out quickly,
    // and a broker outage surfaces as a failure (and a resend) within half a minute
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "virthooks-" + b.hostId);
    c.putAll(b.clientProperties);
    Object acks = c.get(ProducerConfig.ACKS_CONFIG);
    if (acks != null && !acks.toString().equals("all") && !acks.toString().equals("-1")) {
      throw new IllegalArgumentException("the Kafka sink sends with acks=all; client property "
          + "acks=" + acks + " is not allowed");
    }
    Object idempotence = c.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !Boolean.parseBoolean(idempotence.toString())) {
      throw new IllegalArgumentException("the Kafka sink sends with enable.idempotence=true; "
          + "client property enable.idempotence=" + idempotence + " is not allowed");
    }
    // what at-least-once with per-key order rests on: not the user's to change
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  private static Producer<byte[], byte[]> newProducer(Map<String, Object> config) {
    return new KafkaProducer<>(config);
  }

  /** Opens the spool; the seam tests use for a spool of their own. */
  @FunctionalInterface
  interface SpoolOpener {
    Spool open(SpoolConfig config, Spool.DropListener onDrop) throws IOException;
  }

  /** Settings of a {@link KafkaEventSink}. */
  public static final class Builder {
    private String bootstrapServers;
    private String topic;
    private String hostId;
    private SpoolConfig spoolConfig;
    private ContentMode mode = ContentMode.BINARY;
    private final Map<String, Object> clientProperties = new HashMap<>();
    private Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    private int maxInFlight = 10_000;
    private Duration closeGrace = Duration.ofSeconds(10);
    private SpoolOpener spoolOpener = SegmentSpool::open;

    private Builder() {}

    /** The brokers to bootstrap from, {@code host:port[,host:port...]}. Required. */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    /** The topic. Required. */
    public Builder topic(String name) {
      this.topic = name;
      return this;
    }

    /**
     * This host's id in every record's {@code source}, {@code id} and key: letters, digits,
     * {@code .}, {@code _}, {@code -}, starting with a letter or digit. Default: the host name.
     */
    public Builder hostId(String id) {
      this.hostId = id;
      return this;
    }

    /** Where and how events are spooled. Required. */
    public Builder spool(SpoolConfig config) {
      this.spoolConfig = config;
      return this;
    }

    /** Binary (the default) or structured records. */
    public Builder contentMode(ContentMode contentMode) {
      this.mode = Objects.requireNonNull(contentMode, "contentMode");
      return this;
    }

    /**
     * A producer property passed through (TLS, SASL, {@code compression.type},
     * {@code linger.ms}...). {@code acks} and {@code enable.idempotence} may only repeat the
     * sink's ({@code all}, {@code true}); bootstrap servers and serializers are the sink's.
     */
    public Builder clientProperty(String name, Object value) {
      clientProperties.put(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(value, "value for " + name));
      return this;
    }

    /** Producer properties passed through; see {@link #clientProperty}. */
    public Builder clientProperties(Map<String, ?> properties) {
      properties.forEach(this::clientProperty);
      return this;
    }

    /** The delays between sending again after failures. Default: 200 ms doubling up to 10 s. */
    public Builder backoff(Backoff delays) {
      this.backoff = Objects.requireNonNull(delays, "backoff");
      return this;
    }

    /**
     * The most records sent and not yet confirmed (default 10,000): the bound of the duplicates
     * one failure can cause, and of the sender's memory.
     */
    public Builder maxInFlight(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1: " + records);
      }
      this.maxInFlight = records;
      return this;
    }

    /** How long {@link #close()} keeps sending what is spooled. Default 10 s. */
    public Builder closeGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("closeGrace must not be negative: " + grace);
      }
      this.closeGrace = grace;
      return this;
    }

    Builder spoolOpener(SpoolOpener opener) {
      this.spoolOpener = opener;
      return this;
    }

    /**
     * Checks the settings, makes the first producer (so that a bad client property fails here)
     * and opens the spool (recovering it). The sender waits for {@link #start()}.
     *
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     * @throws IOException when the spool cannot be opened
     */
    public KafkaEventSink build() throws IOException {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("Kafka sink: bootstrap servers are required");
      }
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("Kafka sink: a topic is required");
      }
      if (spoolConfig == null) {
        throw new IllegalArgumentException("Kafka sink: a spool is required");
      }
      if (hostId == null) {
        hostId = defaultHostId();
      }
      if (!HOST_ID.matcher(hostId).matches()) {
        throw new IllegalArgumentException("Kafka sink: host id '" + hostId + "' must be letters, "
            + "digits, '.', '_' or '-', starting with a letter or digit, at most 253");
      }
      return new KafkaEventSink(this);
    }

    private static String defaultHostId() {
      try {
        String name = InetAddress.getLocalHost().getHostName();
        if (HOST_ID.matcher(name).matches()) {
          return name;
        }
      } catch (IOException e) {
        LOG.debug("no host name: {}", e.toString());
      }
      String env = System.getenv("HOSTNAME");
      return env != null && HOST_ID.matcher(env).matches() ? env : "localhost";
    }
  }
}
