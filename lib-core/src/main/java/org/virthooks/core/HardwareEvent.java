package org.virthooks.core;

import java.util.Optional;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.JsonNames;

/**
 * A change of the physical system. In LDoms the only hardware events are service-processor (SP)
 * configurations being added, set or removed.
 *
 * @param meta source, time, sequence number, raw action ({@code add-spconfig})
 * @param kind what changed
 * @param operation add, set or remove
 * @param config the configuration's name ({@code spconfig_name}), when the event names one
 * @param configStatus the configuration's status ({@code spconfig_status}, e.g. {@code current})
 */
public record HardwareEvent(
    EventMeta meta, Kind kind, Operation operation, Optional<String> config,
    Optional<String> configStatus) implements VirtEvent {

  /** What part of the hardware changed. */
  public enum Kind {
    /** A service-processor configuration. */
    SPCONFIG,
    /** A hardware event this version does not know: read {@link #action()}. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON ({@code spconfig}). */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Validates the fields. */
  public HardwareEvent {
    Checks.notNull("meta", meta);
    Checks.notNull("kind", kind);
    Checks.notNull("operation", operation);
    config = config == null ? Optional.empty() : config;
    configStatus = configStatus == null ? Optional.empty() : configStatus;
  }

  /** An SP-configuration event. */
  public static HardwareEvent spConfig(
      EventMeta meta, Operation operation, String config, String configStatus) {
    return new HardwareEvent(meta, Kind.SPCONFIG, operation,
        Optional.ofNullable(config), Optional.ofNullable(configStatus));
  }

  @Override
  public EventCategory category() {
    return EventCategory.HARDWARE;
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
