package org.virthooks.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.core.script.ScriptRunner;

/**
 * A libvirt release number, as {@code libvirtd --version} prints it or
 * {@code virConnectGetLibVersion} returns it (major × 1,000,000 + minor × 1,000 + micro).
 *
 * @param major the major number
 * @param minor the minor number
 * @param micro the micro number
 */
public record LibvirtVersion(int major, int minor, int micro) implements Comparable<LibvirtVersion> {
  /** The first release that runs every executable in {@code <driver>.d/} (libvirt 6.5.0). */
  public static final LibvirtVersion HOOK_DIRECTORIES = new LibvirtVersion(6, 5, 0);

  /** The daemons whose {@code --version} is asked, in this order, by {@link #ofInstalledDaemon}. */
  public static final List<Path> DAEMONS = List.of(Path.of("/usr/sbin/libvirtd"),
      Path.of("/usr/sbin/virtqemud"), Path.of("/usr/sbin/virtnetworkd"),
      Path.of("/usr/sbin/virtlxcd"), Path.of("/usr/sbin/virtxend"));

  private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** Validates. */
  public LibvirtVersion {
    if (major < 0 || minor < 0 || minor > 999 || micro < 0 || micro > 999) {
      throw new IllegalArgumentException("not a libvirt version: " + major + "." + minor + "."
          + micro);
    }
  }

  /** The number {@code virConnectGetLibVersion} returns, e.g. 9000000 for 9.0.0. */
  public static LibvirtVersion ofNumber(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("not a libvirt version number: " + number);
    }
    return new LibvirtVersion((int) (number / 1_000_000), (int) (number / 1_000 % 1_000),
        (int) (number % 1_000));
  }

  /**
   * The first {@code X.Y[.Z]} in {@code text}: {@code 9.0.0}, or a daemon's
   * {@code libvirtd (libvirt) 9.0.0}.
   *
   * @throws IllegalArgumentException when there is none
   */
  public static LibvirtVersion parse(String text) {
    Matcher m = NUMBER.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("no libvirt version in '" + text.strip() + "'");
    }
    return new LibvirtVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  /** The version of the daemon (not of the client library) {@code connect} talks to. */
  public static LibvirtVersion ofConnection(Connect connect) throws LibvirtException {
    return ofNumber(connect.getLibVersion());
  }

  /**
   * The version the first installed daemon of {@link #DAEMONS} prints with {@code --version},
   * empty when none is installed or none answers.
   */
  public static Optional<LibvirtVersion> ofInstalledDaemon() {
    for (Path daemon : DAEMONS) {
      if (Files.isExecutable(daemon)) {
        Optional<LibvirtVersion> v = ofDaemon(daemon);
        if (v.isPresent()) {
          return v;
        }
      }
    }
    return Optional.empty();
  }

  /** The version {@code daemon --version} prints; empty when it cannot be run or read. */
  public static Optional<LibvirtVersion> ofDaemon(Path daemon) {
    try (ScriptRunner runner = new ScriptRunner()) {
      ScriptResult r = runner.run(new ScriptInvocation(List.of(daemon.toString(), "--version"),
          Map.of("LC_ALL", "C"), null), Duration.ofSeconds(10));
      if (r.exitCode() != 0) {
        return Optional.empty();
      }
      return Optional.of(parse(r.stdout()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True when this release runs the scripts in {@code <driver>.d/} (6.5.0 and later). */
  public boolean runsHookDirectories() {
    return compareTo(HOOK_DIRECTORIES) >= 0;
  }

  @Override
  public int compareTo(LibvirtVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(micro, o.micro);
  }

  /** {@code 9.0.0}. */
  @Override
  public String toString() {
    return major + "." + minor + "." + micro;
  }
}
