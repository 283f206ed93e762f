package org.virthooks.core;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.virthooks.core.internal.Checks;

/**
 * Hands out {@link EventMeta} for one source: the source's time and a sequence number that
 * increases by one per event, starting at 1. Adapters own one per source; thread-safe.
 */
public final class EventStamper {
  private final SourceId source;
  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();

  /** A stamper for {@code source} using the system UTC clock. */
  public EventStamper(SourceId source) {
    this(source, Clock.systemUTC());
  }

  /** A stamper for {@code source} reading time from {@code clock} (tests pass a fixed clock). */
  public EventStamper(SourceId source, Clock clock) {
    this.source = Checks.notNull("source", source);
    this.clock = Checks.notNull("clock", clock);
  }

  /** The source this stamper stamps for. */
  public SourceId source() {
    return source;
  }

  /** The next header for an event named {@code action} by its source. */
  public EventMeta next(String action) {
    return EventMeta.of(source, clock.instant(), seq.incrementAndGet(), action);
  }

  /** The next header, with attributes. */
  public EventMeta next(String action, Map<String, String> attributes) {
    return new EventMeta(source, clock.instant(), seq.incrementAndGet(), action, attributes);
  }

  /** The sequence number of the last header handed out, 0 before the first. */
  public long lastSeq() {
    return seq.get();
  }
}
