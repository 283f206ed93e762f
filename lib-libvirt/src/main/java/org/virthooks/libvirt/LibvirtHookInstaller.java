package org.virthooks.libvirt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.virthooks.core.install.InstallResult;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.install.ShellLauncher;
import org.virthooks.core.relay.DecisionPoints;
import org.virthooks.core.relay.RelayClientScript;
import org.virthooks.core.relay.UnreachablePolicy;

/**
 * Installs virthooks as a libvirt hook script in {@code <hooks-dir>/<driver>.d/<name>} (libvirt
 * 6.5+ runs every executable there, sorted by name, after the main script), in one of two modes:
 * <ul>
 *   <li><b>relay</b>: lib-core's small Perl client, which forwards each call to a
 *       {@link org.virthooks.core.relay.RelayServer} in the management tool's running JVM
 *       (milliseconds per call);
 *   <li><b>jvm</b>: a {@code /bin/sh} launcher that execs a fresh JVM per call
 *       ({@link LibvirtHookMain} or {@code virthooks libvirt hook}; ~150 ms per call).
 * </ul>
 * Both follow {@link ScriptInstaller}'s rules (idempotent, atomic, never replacing or removing a
 * file that virthooks did not write). libvirtd decides at start-up (and on SIGHUP) which drivers
 * have hooks: when a driver had none, libvirtd only sees the new script after a SIGHUP or a
 * restart, which {@link Result#needsSighup()} says.
 *
 * <p>A daemon older than 6.5 runs only the top-level {@code <hooks-dir>/<driver>}; for it the
 * {@link Layout#WITH_TOP_LEVEL} layout also writes that file as a forwarder that execs the
 * {@code .d} script (one script text, whichever file libvirt runs). On 6.5 and later both would
 * run, every call twice, so the {@link Layout#DOT_D} layout removes a forwarder of ours to the
 * same script (left from before an upgrade). {@link Layout#of(LibvirtVersion)} picks the layout.
 */
public final class LibvirtHookInstaller {
  /** The standard hooks directory. */
  public static final Path DEFAULT_HOOKS_DIR = Path.of("/etc/libvirt/hooks");
  /** The default script name: runs in the middle of others' scripts. */
  public static final String DEFAULT_NAME = "50-virthooks";

  private LibvirtHookInstaller() {}

  /** Which files an install writes, by the daemon's version. */
  public enum Layout {
    /** {@code <driver>.d/<name>} only (libvirt 6.5 and later); our forwarder to it is removed. */
    DOT_D,
    /** {@code <driver>.d/<name>} and a top-level {@code <driver>} forwarder (before 6.5). */
    WITH_TOP_LEVEL;

    /** The layout a daemon of {@code version} needs. */
    public static Layout of(LibvirtVersion version) {
      return version.runsHookDirectories() ? DOT_D : WITH_TOP_LEVEL;
    }
  }

  /**
   * What an install did.
   *
   * @param install what happened to the script; its message also says what libvirtd needs
   * @param needsSighup true when libvirtd must get SIGHUP (or restart) to notice
   */
  public record Result(InstallResult install, boolean needsSighup) {}

  /** The path a driver's script of {@code name} goes to. */
  public static Path target(Path hooksDir, HookDriver driver, String name) {
    return ScriptInstaller.scriptIn(hooksDir.resolve(driver.scriptName() + ".d"), name);
  }

  /**
   * Installs the relay client, forwarding to {@code socket}. Once connected it fails closed at
   * {@link LibvirtHookPoints#failClosedOperations}; the {@code policy} answers when the relay
   * cannot be reached, and at the other points.
   */
  public static Result installRelay(Path hooksDir, HookDriver driver, String name, Path socket,
      UnreachablePolicy policy, Duration timeout) throws IOException {
    return installRelay(hooksDir, driver, name, socket, policy, timeout, Layout.DOT_D);
  }

  /** Installs the relay client as the method above does, in {@code layout}. */
  public static Result installRelay(Path hooksDir, HookDriver driver, String name, Path socket,
      UnreachablePolicy policy, Duration timeout, Layout layout) throws IOException {
    // argv: the script's path, object, operation, sub-operation, extra
    DecisionPoints decisions = DecisionPoints.whereArgument(2,
        LibvirtHookPoints.failClosedOperations(driver));
    String text = RelayClientScript.render(socket, policy, timeout, List.of("LC_ALL", "PATH"),
        decisions);
    return install(hooksDir, driver, name, text, layout);
  }

  /**
   * Installs a launcher that runs {@code command} followed by the script's own path and
   * libvirt's arguments ({@code exec COMMAND... "$0" "$@"}).
   */
  public static Result installJvm(Path hooksDir, HookDriver driver, String name,
      List<String> command) throws IOException {
    return installJvm(hooksDir, driver, name, command, Layout.DOT_D);
  }

  /** Installs the launcher as the method above does, in {@code layout}. */
  public static Result installJvm(Path hooksDir, HookDriver driver, String name,
      List<String> command, Layout layout) throws IOException {
    return install(hooksDir, driver, name, launcher(command), layout);
  }

  /** The top-level script of {@code driver}: all a daemon older than 6.5 runs. */
  public static Path topLevel(Path hooksDir, HookDriver driver) {
    return hooksDir.resolve(driver.scriptName());
  }

  /** The top-level forwarder's text: it execs the {@code .d} script with libvirt's arguments. */
  public static String forwarder(Path dotDScript) {
    return ShellLauncher.render("top-level forwarder",
        "libvirt before 6.5 runs only this script; it runs " + dotDScript.getFileName()
            + " in the .d directory.",
        ShellLauncher.words(List.of(dotDScript.toAbsolutePath().toString())) + " \"$@\"");
  }

  /** The launcher's text. */
  public static String launcher(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("launcher command must not be empty");
    }
    return ShellLauncher.render("jvm launcher",
        "libvirt runs this hook script; it answers the call in a fresh JVM.",
        ShellLauncher.words(command) + " \"$0\" \"$@\"");
  }

  private static Result install(Path hooksDir, HookDriver driver, String name, String text,
      Layout layout) throws IOException {
    Path target = target(hooksDir, driver, name);
    Path top = topLevel(hooksDir, driver);
    if (layout == Layout.WITH_TOP_LEVEL && Files.exists(top, LinkOption.NOFOLLOW_LINKS)
        && !ScriptInstaller.isOurs(top)) {
      // checked before anything is written: half an install would look like a working one
      throw new IOException(top + " was not written by virthooks, and libvirt before 6.5 runs "
          + "only that script: not replacing it; end it with: exec " + target + " \"$@\"");
    }
    boolean hadHooks = driverHasHooks(hooksDir, driver);
    InstallResult r = ScriptInstaller.install(target, text);
    String topNote = "";
    boolean topChanged = false;
    if (layout == Layout.WITH_TOP_LEVEL) {
      // an administrator's own top-level script is never replaced: ScriptInstaller throws
      InstallResult t = ScriptInstaller.install(top, forwarder(target));
      topChanged = t.changed();
      topNote = t.changed() ? "; wrote " + top + ", which libvirt before 6.5 runs, forwarding "
          + "to it" : "";
    } else if (forwardsTo(top, target)) {
      ScriptInstaller.uninstall(top);
      topChanged = true;
      topNote = "; removed our " + top + " forwarder (libvirt 6.5 and later runs the .d "
          + "script itself: both would run every call twice)";
    }
    if (!r.changed() && !topChanged) {
      return new Result(r, false);
    }
    // a forwarder removed leaves the .d script, which libvirtd already runs
    boolean sighup = !hadHooks;
    return new Result(new InstallResult(target, true, r.message() + topNote + (sighup
        ? "; libvirtd had no " + driver.scriptName() + " hook when it started: send it SIGHUP "
            + "(or restart it) so that it runs this one"
        : "; libvirtd runs it from the next call on (no SIGHUP needed)")), sighup);
  }

  /** True when {@code top} is our forwarder to {@code target}. */
  static boolean forwardsTo(Path top, Path target) throws IOException {
    return ScriptInstaller.isOurs(top) && Files.readString(top).equals(forwarder(target));
  }

  /**
   * Removes the script if virthooks wrote it, and the top-level forwarder if it is ours and
   * forwards to that script (libvirtd needs no SIGHUP for that).
   */
  public static InstallResult uninstall(Path hooksDir, HookDriver driver, String name)
      throws IOException {
    Path target = target(hooksDir, driver, name);
    Path top = topLevel(hooksDir, driver);
    // the forwarder first: never left pointing at a script that is gone
    boolean topRemoved = forwardsTo(top, target) && ScriptInstaller.uninstall(top).changed();
    InstallResult r = ScriptInstaller.uninstall(target);
    return topRemoved ? new InstallResult(target, true, r.message() + " and its forwarder "
        + top) : r;
  }

  /**
   * True when libvirt would consider the driver hooked: an executable main script or an
   * executable in {@code <driver>.d/} (libvirt's own check at start-up and SIGHUP).
   */
  public static boolean driverHasHooks(Path hooksDir, HookDriver driver) throws IOException {
    Path main = hooksDir.resolve(driver.scriptName());
    if (Files.isRegularFile(main) && Files.isExecutable(main)) {
      return true;
    }
    Path dir = hooksDir.resolve(driver.scriptName() + ".d");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return true;
        }
      }
    }
    return false;
  }
}
