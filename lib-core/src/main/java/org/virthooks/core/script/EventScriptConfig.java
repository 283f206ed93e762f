package org.virthooks.core.script;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.virthooks.core.internal.Checks;

/**
 * Configuration of an {@link EventScript}, after the libvirt events-script proposal: the script to
 * run, the set of object kinds it receives, and its deadline.
 *
 * <pre>
 * # /etc/virthooks/events.properties
 * events_script=/etc/libvirt/events
 * events_set=daemon domain
 * events_timeout=10
 * </pre>
 *
 * <p>{@code events_set} names object kinds, separated by spaces or commas: the event categories
 * ({@code domain}, {@code hardware}, {@code progress}, {@code resource}, {@code other}, and
 * {@code daemon} for the source's own events) and the objects of hook points
 * ({@code domain}, {@code network}, {@code block}...); {@code all} stands for every one.
 * Quotes around the value, as in libvirtd.conf, are allowed.
 *
 * @param script the executable
 * @param set the object kinds it receives, lower case
 * @param timeout its deadline per call
 */
public record EventScriptConfig(Path script, Set<String> set, Duration timeout) {
  /** The deadline when {@code events_timeout} is not given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Validates and freezes the fields. */
  public EventScriptConfig {
    Checks.notNull("events_script", script);
    Checks.notNull("events_set", set);
    if (set.isEmpty()) {
      throw new IllegalArgumentException("events_set must name at least one object kind");
    }
    set = ImmutableSet.copyOf(set);
    Checks.notNull("events_timeout", timeout);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("events_timeout must be positive: " + timeout);
    }
  }

  /** True when the script receives objects of {@code kind}. */
  public boolean covers(String kind) {
    return set.contains("all") || set.contains(kind);
  }

  /**
   * Reads the properties file at {@code file}.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException naming the key when a value is missing or bad
   */
  public static EventScriptConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return fromProperties(p);
  }

  /**
   * Reads {@code events_script}, {@code events_set} and {@code events_timeout} (seconds).
   *
   * @throws IllegalArgumentException naming the key when a value is missing or bad
   */
  public static EventScriptConfig fromProperties(Properties p) {
    return of(p.getProperty("events_script"), p.getProperty("events_set"),
        p.getProperty("events_timeout"));
  }

  /**
   * The settings as the properties file and the command lines give them: the script's path, the
   * object kinds separated by spaces or commas, and the deadline in seconds (null for
   * {@link #DEFAULT_TIMEOUT}); values may be quoted as in a shell-style file.
   *
   * @throws IllegalArgumentException naming the key when a value is missing or bad
   */
  public static EventScriptConfig of(String scriptText, String kinds, String timeoutSeconds) {
    String script = unquote(scriptText);
    if (script == null || script.isBlank()) {
      throw new IllegalArgumentException("events_script is missing: name the script to run");
    }
    String setText = unquote(kinds);
    if (setText == null || setText.isBlank()) {
      throw new IllegalArgumentException(
          "events_set is missing: name the object kinds, e.g. events_set=\"daemon domain\"");
    }
    ImmutableSet.Builder<String> set = ImmutableSet.builder();
    for (String kind : Splitter.onPattern("[\\s,]+").omitEmptyStrings().split(setText)) {
      set.add(kind.toLowerCase(Locale.ROOT));
    }
    Duration timeout = DEFAULT_TIMEOUT;
    String t = unquote(timeoutSeconds);
    if (t != null && !t.isBlank()) {
      try {
        timeout = Duration.ofMillis(Math.round(Double.parseDouble(t.trim()) * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("events_timeout must be a number of seconds: '" + t + "'",
            e);
      }
    }
    return new EventScriptConfig(Path.of(script.trim()), set.build(), timeout);
  }

  private static String unquote(String v) {
    if (v == null) {
      return null;
    }
    String s = v.trim();
    if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"")
        || s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
