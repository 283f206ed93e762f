package org.virthooks.cli;

/** A mistake in the agent's configuration: the key, the value, and what was expected. */
final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final String value;

  /** {@code key = 'value': why}. */
  ConfigException(String key, String value, String why) {
    super(key + " = '" + value + "': " + why);
    this.key = key;
    this.value = value;
  }

  /** The key at fault. */
  String key() {
    return key;
  }

  /** Its value as given. */
  String value() {
    return value;
  }
}
