package org.virthooks.libvirt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
 */
public final class LibvirtHookInstaller {
  /** The standard hooks directory. */
  public static final Path DEFAULT_HOOKS_DIR = Path.of("/etc/libvirt/hooks");
  /** The default script name: runs in the middle of others' scripts. */
  public static final String DEFAULT_NAME = "50-virthooks";

  private LibvirtHookInstaller() {}

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
    // argv: the script's path, object, operation, sub-operation, extra
    DecisionPoints decisions = DecisionPoints.whereArgument(2,
        LibvirtHookPoints.failClosedOperations(driver));
    String text = RelayClientScript.render(socket, policy, timeout, List.of("LC_ALL", "PATH"),
        decisions);
    return install(target(hooksDir, driver, name), driver, hooksDir, text);
  }

  /**
   * Installs a launcher that runs {@code command} followed by the script's own path and
   * libvirt's arguments ({@code exec COMMAND... "$0" "$@"}).
   */
  public static Result installJvm(Path hooksDir, HookDriver driver, String name,
      List<String> command) throws IOException {
    return install(target(hooksDir, driver, name), driver, hooksDir, launcher(command));
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

  private static Result install(Path target, HookDriver driver, Path hooksDir, String text)
      throws IOException {
    boolean hadHooks = driverHasHooks(hooksDir, driver);
    InstallResult r = ScriptInstaller.install(target, text);
    if (!r.changed()) {
      return new Result(r, false);
    }
    boolean sighup = !hadHooks;
    return new Result(new InstallResult(target, true, r.message() + (sighup
        ? "; libvirtd had no " + driver.scriptName() + " hook when it started: send it SIGHUP "
            + "(or restart it) so that it runs this one"
        : "; libvirtd runs it from the next call on (no SIGHUP needed)")), sighup);
  }

  /** Removes the script if virthooks wrote it (libvirtd needs no SIGHUP for that). */
  public static InstallResult uninstall(Path hooksDir, HookDriver driver, String name)
      throws IOException {
    return ScriptInstaller.uninstall(target(hooksDir, driver, name));
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
