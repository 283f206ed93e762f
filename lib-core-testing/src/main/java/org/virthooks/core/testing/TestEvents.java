package org.virthooks.core.testing;

import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;

/**
 * Builds events for tests, stamped by one source ({@code test:unit} unless another is given),
 * with sequence numbers counting from 1.
 */
public final class TestEvents {
  private final EventStamper stamper;

  /** Events from {@code test:unit}. */
  public TestEvents() {
    this(SourceId.of("test", "unit"));
  }

  /** Events from {@code source}. */
  public TestEvents(SourceId source) {
    this.stamper = new EventStamper(source);
  }

  /** The stamper, for building other events. */
  public EventStamper stamper() {
    return stamper;
  }

  /** A domain event about {@code name}, its raw action the kind's name. */
  public DomainEvent domain(String name, DomainEvent.Kind kind) {
    return DomainEvent.of(stamper.next(kind.jsonName()), DomainRef.of(name), kind);
  }

  /** A resource event about {@code name}'s resource, its raw action {@code op-resource}. */
  public ResourceEvent resource(String name, Operation op, ResourceType type) {
    return ResourceEvent.of(stamper.next(op.jsonName() + "-" + type.jsonName()), DomainRef.of(name),
        op, type);
  }

  /** A migration progress event. */
  public ProgressEvent progress(String name, int percent, ProgressEvent.Status status) {
    return new ProgressEvent(stamper.next("migration-process"), Optional.of(DomainRef.of(name)),
        ProgressEvent.Kind.MIGRATION, OptionalInt.of(percent), status, Optional.empty());
  }

  /** An event of the source itself. */
  public SourceEvent source(SourceEvent.Kind kind) {
    return SourceEvent.of(stamper.next(kind.name().toLowerCase(java.util.Locale.ROOT)), kind, null);
  }
}
