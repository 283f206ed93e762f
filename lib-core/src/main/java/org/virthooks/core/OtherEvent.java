package org.virthooks.core;

import java.util.Optional;
import org.virthooks.core.internal.Checks;

/**
 * An event whose category this version of the model does not know (a newer daemon's action).
 * It is delivered rather than dropped; {@link #action()} holds the raw name and
 * {@code meta().attributes()} what the adapter could read of it.
 *
 * @param meta source, time, sequence number, raw action
 * @param domain the domain, when the adapter could tell
 */
public record OtherEvent(EventMeta meta, Optional<DomainRef> domain) implements VirtEvent {

  /** Validates the fields. */
  public OtherEvent {
    Checks.notNull("meta", meta);
    domain = domain == null ? Optional.empty() : domain;
  }

  @Override
  public EventCategory category() {
    return EventCategory.OTHER;
  }

  @Override
  public String kindName() {
    return "other";
  }

  @Override
  public Optional<DomainRef> optionalDomain() {
    return domain;
  }
}
