package org.virthooks.core;

import java.util.Optional;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.JsonNames;

/**
 * The management daemon or the event source itself: the daemon started, stopped or reloaded; the
 * connection to it was lost or restored (events may have been missed in between); the source
 * resynchronised its view of every domain.
 *
 * @param meta source, time, sequence number, raw action
 * @param kind what happened
 * @param message a human-readable explanation (the error that broke a connection), when known
 */
public record SourceEvent(EventMeta meta, Kind kind, Optional<String> message) implements VirtEvent {

  /** What happened to the source. */
  public enum Kind {
    /** The daemon or source started. */
    STARTED,
    /** The daemon or source stopped. */
    STOPPED,
    /** The daemon reloaded its configuration. */
    RELOADED,
    /** The connection to the daemon was lost: events may be missed until it is restored. */
    CONNECTION_LOST,
    /** The connection was restored and every registration made again. */
    CONNECTION_RESTORED,
    /** The source listed the current state of everything, for consumers to reconcile. */
    RESYNCHRONISED,
    /**
     * Events were dropped on the way (a full spool under a drop policy): the attributes say how
     * many and which sequence range, the message says why.
     */
    EVENTS_DROPPED,
    /** A source event this version does not know: read {@link #action()}. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON ({@code connection-lost}). */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Validates the fields. */
  public SourceEvent {
    Checks.notNull("meta", meta);
    Checks.notNull("kind", kind);
    message = message == null ? Optional.empty() : message;
  }

  /** A source event with an optional message. */
  public static SourceEvent of(EventMeta meta, Kind kind, String message) {
    return new SourceEvent(meta, kind, Optional.ofNullable(message));
  }

  @Override
  public EventCategory category() {
    return EventCategory.SOURCE;
  }

  @Override
  public String kindName() {
    return kind.jsonName();
  }

  @Override
  public Optional<DomainRef> optionalDomain() {
    return Optional.empty();
  }
}
