package org.virthooks.core;

import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.virthooks.core.internal.Checks;

/**
 * What every event carries whatever its category: its source, when it was seen, its sequence
 * number within that source, the source's own raw name for it, and adapter-specific attributes.
 *
 * @param source the adapter and instance that produced the event
 * @param time when the adapter saw the event
 * @param seq strictly increasing per source, starting at 1; see {@link EventStamper}
 * @param action the source's own name: {@code start-domain}, {@code LIFECYCLE/STOPPED/DESTROYED},
 *     {@code prepare begin}
 * @param attributes extra facts the adapter knows (raw detail codes, generic properties), never null
 */
public record EventMeta(
    SourceId source, Instant time, long seq, String action, Map<String, String> attributes) {

  /** Validates the fields and freezes the attributes. */
  public EventMeta {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(time, "time");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
    Checks.notBlank("action", action);
    attributes = attributes == null ? ImmutableMap.of() : ImmutableMap.copyOf(attributes);
  }

  /** An event header without attributes. */
  public static EventMeta of(SourceId source, Instant time, long seq, String action) {
    return new EventMeta(source, time, seq, action, ImmutableMap.of());
  }

  /** A copy with the given attributes instead of these. */
  public EventMeta withAttributes(Map<String, String> newAttributes) {
    return new EventMeta(source, time, seq, action, newAttributes);
  }
}
