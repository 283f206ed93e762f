package org.virthooks.core;

import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.JsonNames;

/**
 * Progress of a long-running operation: an LDoms {@code migration-process}, a libvirt migration
 * iteration, job completion or block job.
 *
 * @param meta source, time, sequence number, raw action
 * @param domain the domain the operation works on, when known
 * @param kind what kind of operation
 * @param percent how far it is, 0 to 100, when the source says
 * @param status ongoing, done or failed
 * @param reporter who reports the progress (the LDoms {@code source} property), when known
 */
public record ProgressEvent(
    EventMeta meta,
    Optional<DomainRef> domain,
    Kind kind,
    OptionalInt percent,
    Status status,
    Optional<String> reporter) implements VirtEvent {

  /** What kind of long-running operation. */
  public enum Kind {
    /** A domain migration. */
    MIGRATION,
    /** A block job (copy, commit, pull). */
    BLOCK_JOB,
    /** Any other job of the hypervisor (libvirt JOB_COMPLETED). */
    JOB,
    /** A progress event this version does not know: read {@link #action()}. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON ({@code block-job}). */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Where the operation stands. */
  public enum Status {
    /** Still running. */
    ONGOING,
    /** Finished successfully. */
    DONE,
    /** Finished with an error. */
    FAILED;

    /** The lower-case name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }

    /**
     * The status named {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException quoting the value when it is none of ongoing, done, failed
     */
    public static Status parse(String name) {
      Status s = JsonNames.parse(Status.class, name, null);
      if (s == null) {
        throw new IllegalArgumentException(
            "progress status must be ongoing, done or failed: '" + name + "'");
      }
      return s;
    }
  }

  /** Validates the fields; {@code percent} must lie within 0 to 100. */
  public ProgressEvent {
    Checks.notNull("meta", meta);
    domain = domain == null ? Optional.empty() : domain;
    Checks.notNull("kind", kind);
    percent = percent == null ? OptionalInt.empty() : percent;
    if (percent.isPresent()) {
      Checks.inRange("percent", percent.getAsInt(), 0, 100);
    }
    Checks.notNull("status", status);
    reporter = reporter == null ? Optional.empty() : reporter;
  }

  /**
   * Parses a percentage as sources write it: {@code 45%}, {@code 45}, {@code  45 % }.
   *
   * @throws IllegalArgumentException quoting the value when it is no whole number from 0 to 100
   */
  public static int parsePercent(String text) {
    if (text == null) {
      throw new IllegalArgumentException("percent must not be null");
    }
    String t = text.trim();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    }
    int value;
    try {
      value = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("percent is not a number: '" + text + "'", e);
    }
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException("percent must be between 0 and 100: '" + text + "'");
    }
    return value;
  }

  @Override
  public EventCategory category() {
    return EventCategory.PROGRESS;
  }

  @Override
  public String kindName() {
    return kind.jsonName();
  }

  @Override
  public Optional<DomainRef> optionalDomain() {
    return domain;
  }
}
