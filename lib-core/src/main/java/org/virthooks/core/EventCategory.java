package org.virthooks.core;

import java.util.Locale;
import org.virthooks.core.internal.JsonNames;

/** The category of a {@link VirtEvent}: the four of the LDoms guide, the event source itself, and other. */
public enum EventCategory {
  /** Something happened to a domain as a whole (defined, started, stopped, migrated...). */
  DOMAIN(DomainEvent.class),
  /** A change of the physical system; for LDoms, service-processor configurations. */
  HARDWARE(HardwareEvent.class),
  /** Progress of a long-running operation such as a migration. */
  PROGRESS(ProgressEvent.class),
  /** A resource of a domain or of the host was added, changed or removed. */
  RESOURCE(ResourceEvent.class),
  /** The management daemon or the event source itself: started, stopped, connection lost... */
  SOURCE(SourceEvent.class),
  /** An event whose category the model does not know. */
  OTHER(OtherEvent.class);

  private final String jsonName = JsonNames.of(this);
  private final Class<? extends VirtEvent> eventType;

  EventCategory(Class<? extends VirtEvent> eventType) {
    this.eventType = eventType;
  }

  /** The record type of this category's events. */
  public Class<? extends VirtEvent> eventType() {
    return eventType;
  }

  /** The lower-case name used in JSON and in event-script argv. */
  public String jsonName() {
    return jsonName;
  }

  /**
   * Parses a category name, case-insensitively; {@code daemon} is accepted for {@link #SOURCE}
   * because the events-script proposal names the daemon's own events that way.
   *
   * @throws IllegalArgumentException naming the value when it is no category
   */
  public static EventCategory parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("event category must not be blank: '" + name + "'");
    }
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.equals("DAEMON")) {
      return SOURCE;
    }
    for (EventCategory c : values()) {
      if (c.name().equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown event category '" + name
        + "' (expected one of domain, hardware, progress, resource, source/daemon, other)");
  }
}
