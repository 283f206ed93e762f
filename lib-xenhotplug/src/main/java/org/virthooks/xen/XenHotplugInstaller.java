package org.virthooks.xen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.virthooks.core.install.InstallResult;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.install.ShellLauncher;
import org.virthooks.core.relay.RelayClientScript;
import org.virthooks.core.relay.UnreachablePolicy;

/**
 * Installs a Xen hotplug script, {@code <scripts-dir>/<name>}, which libxl runs for a disk or
 * vif whose specification says {@code script=<name>}, in one of two modes:
 * <ul>
 *   <li><b>relay</b>: lib-core's small Perl client, which forwards each call to a
 *       {@link org.virthooks.core.relay.RelayServer} whose handler is a {@link XenHotplugRunner}
 *       (in the management tool's JVM, or {@code virthooks xen hotplug-relay});
 *   <li><b>jvm</b>: a {@code /bin/sh} launcher that serves each call in a fresh JVM.
 * </ul>
 * Both follow {@link ScriptInstaller}'s rules: idempotent, atomic, replacing a script virthooks
 * wrote (of either mode) and never one it did not, such as Xen's own {@code block}.
 */
public final class XenHotplugInstaller {
  /** Where libxl looks for hotplug scripts. */
  public static final Path DEFAULT_SCRIPTS_DIR = Path.of("/etc/xen/scripts");
  /** The default script name. */
  public static final String DEFAULT_NAME = "block-virthooks";
  /** How long the relay client waits for an answer: libxl kills a script at 40 s. */
  public static final Duration RELAY_TIMEOUT = Duration.ofSeconds(35);

  private XenHotplugInstaller() {}

  /** The path the script of {@code name} goes to. */
  public static Path target(Path scriptsDir, String name) {
    return ScriptInstaller.scriptIn(scriptsDir, name);
  }

  /**
   * Installs the relay client, forwarding to {@code socket} libxl's environment
   * ({@link XenHotplugRunner#ENVIRONMENT}). Once connected every call fails closed: an add that
   * "succeeds" without a device would leave the guest's disk unconnected. The {@code policy}
   * answers when the relay cannot be reached.
   */
  public static InstallResult installRelay(Path scriptsDir, String name, Path socket,
      UnreachablePolicy policy) throws IOException {
    return install(scriptsDir, name, RelayClientScript.render(socket, policy, RELAY_TIMEOUT,
        XenHotplugRunner.ENVIRONMENT));
  }

  /**
   * Installs a launcher that starts {@code java} tuned for start-up and runs {@code program}
   * with libxl's arguments.
   *
   * @param java the java executable
   * @param program what follows the JVM's options, e.g. {@code -jar virthooks-cli.jar xen hotplug}
   */
  public static InstallResult installJvm(Path scriptsDir, String name, String java,
      List<String> program) throws IOException {
    return install(scriptsDir, name, launcher(java, program));
  }

  /** The launcher's text; {@code VIRTHOOKS_JAVA_OPTS} from libxl's environment adds options. */
  public static String launcher(String java, List<String> program) {
    if (program.isEmpty()) {
      throw new IllegalArgumentException("the launcher's program must not be empty");
    }
    // C1 only, serial GC and class-data sharing: start-up counts against libxl's 40 s
    return ShellLauncher.render("jvm launcher",
        "libxl runs this hotplug script; it serves the call in a fresh JVM.",
        ShellLauncher.words(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto")) + " ${VIRTHOOKS_JAVA_OPTS:-} " + ShellLauncher.words(program)
            + " \"$@\"");
  }

  /** Removes the script if virthooks wrote it. */
  public static InstallResult uninstall(Path scriptsDir, String name) throws IOException {
    return ScriptInstaller.uninstall(target(scriptsDir, name));
  }

  private static InstallResult install(Path scriptsDir, String name, String text)
      throws IOException {
    // not created: libxl reads one directory, and a script written anywhere else is never run
    if (!Files.isDirectory(scriptsDir)) {
      throw new IOException(scriptsDir + " is not a directory (libxl's scripts directory, "
          + "usually " + DEFAULT_SCRIPTS_DIR + ")");
    }
    return ScriptInstaller.install(target(scriptsDir, name), text);
  }
}
