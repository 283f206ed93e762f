package org.virthooks.core;

import java.time.Instant;
import java.util.Optional;

/**
 * An event from any hypervisor stack, immutable. Switch over the permitted records to handle each
 * category; every record also has an {@code OTHER} kind so that events this version does not know
 * still arrive, with their raw {@link #action()}.
 */
public sealed interface VirtEvent
    permits DomainEvent, HardwareEvent, ProgressEvent, ResourceEvent, SourceEvent, OtherEvent {

  /** Source, time, sequence number, raw action and attributes. */
  EventMeta meta();

  /** The event's category; constant for each record type. */
  EventCategory category();

  /** The kind within the category, in lower case as it appears in JSON ({@code started}, {@code other}). */
  String kindName();

  /**
   * The domain the event is about, when there is one. Records that always have a domain also
   * offer it as {@code domain()} without the Optional.
   */
  Optional<DomainRef> optionalDomain();

  /** Shorthand for {@code meta().source()}. */
  default SourceId source() {
    return meta().source();
  }

  /** Shorthand for {@code meta().time()}. */
  default Instant time() {
    return meta().time();
  }

  /** Shorthand for {@code meta().seq()}. */
  default long seq() {
    return meta().seq();
  }

  /** Shorthand for {@code meta().action()}: the source's own raw name for the event. */
  default String action() {
    return meta().action();
  }
}
