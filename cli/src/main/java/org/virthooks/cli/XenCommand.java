package org.virthooks.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.EventScript;
import org.virthooks.core.script.EventScriptConfig;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.NetworkHandler;
import org.virthooks.xen.HandlerLookup;
import org.virthooks.xen.StockBlockHandler;
import org.virthooks.xen.XenHotplugInstaller;
import org.virthooks.xen.XenHotplugPoints;
import org.virthooks.xen.XenHotplugRunner;
import org.virthooks.xen.testing.XenstoreServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virthooks xen}: the in-memory xenstore, the hotplug entry point, and its installer. */
@Command(name = "xen", description = "Xen: hotplug scripts in Java, and an in-memory xenstore.",
    mixinStandardHelpOptions = true,
    subcommands = {XenCommand.Server.class, XenCommand.Hotplug.class, XenCommand.HotplugRelay.class,
        XenCommand.Install.class, XenCommand.Uninstall.class})
public final class XenCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code virthooks xen xenstore-server --socket PATH}: serves until stopped. */
  @Command(name = "xenstore-server", mixinStandardHelpOptions = true,
      description = "Run the in-memory xenstore on a Unix socket until interrupted; "
          + "point clients at it with XENSTORED_PATH.")
  static final class Server implements Callable<Integer> {
    @Option(names = "--socket", required = true, description = "The socket to create.")
    Path socket;

    @Option(names = "--home-domain", defaultValue = "0",
        description = "Domain relative paths resolve against (default: ${DEFAULT-VALUE}).")
    int homeDomain;

    @Option(names = "--max-connections", paramLabel = "N",
        defaultValue = "" + XenstoreServer.DEFAULT_MAX_CONNECTIONS,
        description = "Connections served at once, a thread each (default: ${DEFAULT-VALUE}); "
            + "beyond it a new connection is closed, with a log line, unless it can take the slot "
            + "of a quiet one.")
    int maxConnections;

    @Option(names = "--evict-idle-after", paramLabel = "SECONDS", defaultValue = "10",
        description = "When every slot is taken, a new connection takes the slot of one that has "
            + "sent no request for this long (default: ${DEFAULT-VALUE}); quiet connections are "
            + "never closed while slots are free.")
    long evictIdleAfterSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (maxConnections < 1 || evictIdleAfterSeconds < 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--max-connections must be at least 1 and --evict-idle-after not negative");
      }
      if (Files.exists(socket)) {
        spec.commandLine().getErr().println("xenstore-server: " + socket
            + " already exists; remove it or choose another path");
        return 1;
      }
      try (UntilStopped until = new UntilStopped("xenstore-server-shutdown");
          XenstoreServer server = XenstoreServer.builder(socket).homeDomain(homeDomain)
              .maxConnections(maxConnections)
              .evictIdleAfter(Duration.ofSeconds(evictIdleAfterSeconds)).start()) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("xenstore listening on " + socket + " (export XENSTORED_PATH=" + socket + ")");
        out.flush();
        until.await(0);
      }
      return 0;
    }
  }

  /** {@code virthooks xen hotplug <operation> [type_if=...]}: what libxl execs. */
  @Command(name = "hotplug", mixinStandardHelpOptions = true,
      description = "Serve a Xen hotplug script call (run by libxl through the launcher that "
          + "'xen install' writes): add/remove (block), online/offline (vif), or the proposal's "
          + "phases with HOTPLUG_PATH.")
  static final class Hotplug implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "The operation and libxl's extra arguments.")
    List<String> args = new ArrayList<>();

    @Option(names = "--budget", defaultValue = "30",
        description = "Seconds the call may take, JVM start-up included (default: "
            + "${DEFAULT-VALUE}; libxl kills at 40).")
    long budgetSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EventScriptOptions events = new EventScriptOptions();

    /** The environment; tests replace it. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
      List<String> argv = new ArrayList<>();
      argv.add(env.getOrDefault("script", "virthooks-xen-hotplug"));
      argv.addAll(args);
      Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
      PrintWriter err = spec.commandLine().getErr();
      Duration budget = Duration.ofSeconds(budgetSeconds);
      EventScript script = null;
      try (HookRegistry hooks = HookRegistry.withDefaultDeadline(budget)) {
        script = events.hookInto(hooks);
        try (XenHotplugRunner runner = runnerFromServiceLoader(hooks, budget)) {
          ScriptResult r = runner.run(new ScriptInvocation(argv, env, null), started);
          if (!r.stderr().isEmpty()) {
            err.print("virthooks xen hotplug: " + r.stderr());
            err.flush();
          }
          return r.exitCode();
        }
      } catch (IllegalStateException | IllegalArgumentException e) {
        // several handlers, a bad events-script setting: libxl reads a failure, the device is
        // not connected, with the reason in its log
        err.println("virthooks xen hotplug: " + e.getMessage());
        return 1;
      } finally {
        if (script != null) {
          script.close();
        }
      }
    }
  }

  /**
   * seed 001's events script at every Xen point ({@link XenHotplugPoints#ALL}): run as
   * {@code script block <guest> add filter -} and so on, with the call's JSON on stdin; a
   * non-zero exit refuses at before and filter points, a non-empty stdout at block.add replaces
   * the device's path.
   */
  static final class EventScriptOptions {
    @Option(names = "--events-script", paramLabel = "PATH", description = "Also run this "
        + "executable at every point (seed 001's events script), after the handlers.")
    Path script;

    @Option(names = "--events-set", defaultValue = "block vif tap",
        description = "The object kinds the events script gets (default: ${DEFAULT-VALUE}).")
    String set = "block vif tap";

    @Option(names = "--events-timeout", paramLabel = "SECONDS", defaultValue = "10",
        description = "The events script's deadline (default: ${DEFAULT-VALUE}).")
    String timeout = "10";

    /**
     * Registers the script into {@code hooks}; null when none is configured.
     *
     * @throws IllegalArgumentException for a setting the events script does not accept
     */
    EventScript hookInto(HookRegistry hooks) {
      if (script == null) {
        return null;
      }
      EventScript s = new EventScript(EventScriptConfig.of(script.toString(), set, timeout));
      s.hookInto(hooks, XenHotplugPoints.ALL);
      return s;
    }

    /** The options again, for a launcher that runs {@code xen hotplug}. */
    List<String> asArguments() {
      return script == null ? List.of() : List.of("--events-script", script.toString(),
          "--events-set", set, "--events-timeout", timeout);
    }
  }

  /**
   * A runner over {@code hooks} with the user's handlers found by ServiceLoader, the stock block
   * handler otherwise; at a point they run before the events script (same priority, and
   * {@code block-handler} sorts before {@code events-script}).
   *
   * @throws IllegalStateException when several handlers of a kind are on the class path
   */
  static XenHotplugRunner runnerFromServiceLoader(HookRegistry hooks, Duration budget) {
    HotplugHandler block = HandlerLookup.single(HotplugHandler.class)
        .orElseGet(StockBlockHandler::new);
    NetworkHandler net = HandlerLookup.single(NetworkHandler.class).orElse(null);
    return XenHotplugRunner.builder().registry(hooks).blockHandler(block).networkHandler(net)
        .budget(budget).build();
  }

  /** {@code virthooks xen hotplug-relay --socket PATH}: answers relayed hotplug calls until stopped. */
  @Command(name = "hotplug-relay", mixinStandardHelpOptions = true,
      description = "Answer hotplug calls relayed by scripts that 'xen install --mode relay' wrote,"
          + " in this JVM, until interrupted.")
  static final class HotplugRelay implements Callable<Integer> {
    @Option(names = "--socket", defaultValue = DEFAULT_RELAY_SOCKET,
        description = "The relay socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    @Option(names = "--budget", defaultValue = "30",
        description = "Seconds each call may take (default: ${DEFAULT-VALUE}).")
    long budgetSeconds;

    @CommandLine.Mixin
    EventScriptOptions events = new EventScriptOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Duration budget = Duration.ofSeconds(budgetSeconds);
      EventScript script = null;
      try (HookRegistry hooks = HookRegistry.withDefaultDeadline(budget)) {
        script = events.hookInto(hooks);
        try (UntilStopped until = new UntilStopped("xen-hotplug-relay-shutdown");
            XenHotplugRunner runner = runnerFromServiceLoader(hooks, budget);
            RelayServer relay = RelayServer.builder(socket, runner).start()) {
          spec.commandLine().getOut().println("answering relayed Xen hotplug calls on " + socket
              + " with hooks at " + hooks.points().size() + " points");
          spec.commandLine().getOut().flush();
          until.await(0);
        }
        return 0;
      } catch (IllegalStateException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("xen hotplug-relay: " + e.getMessage());
        return 1;
      } finally {
        if (script != null) {
          script.close();
        }
      }
    }
  }

  /** Where relay clients and the relay server meet unless told otherwise. */
  static final String DEFAULT_RELAY_SOCKET = "/run/virthooks/xen-hotplug.sock";

  /** Options both install and uninstall take. */
  static class Where {
    @Option(names = "--scripts-dir", required = true,
        description = "Where libxl looks for scripts, usually /etc/xen/scripts.")
    Path scriptsDir;

    @Option(names = "--name", defaultValue = XenHotplugInstaller.DEFAULT_NAME,
        description = "The script's name (default: ${DEFAULT-VALUE}).")
    String name;
  }

  /** {@code virthooks xen install}: writes the script libxl execs. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Write a hotplug script into the Xen scripts directory; use it with "
          + "script=<name> in a diskspec. Idempotent; replaces a script virthooks wrote (either "
          + "mode), never one it did not: there is no switch that would.")
  static final class Install extends Where implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "jvm",
        description = "jvm: a fresh JVM per call; relay: into a running JVM (default: "
            + "${DEFAULT-VALUE}).")
    String mode;

    @CommandLine.Mixin
    LauncherJvm jvm;

    @Option(names = "--socket", defaultValue = DEFAULT_RELAY_SOCKET,
        description = "relay mode: the relay server's socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    @CommandLine.Mixin
    EventScriptOptions events = new EventScriptOptions();

    @Option(names = "--on-unreachable", defaultValue = "REFUSE",
        description = "relay mode: REFUSE (fail the add, the default: a disk must not silently "
            + "stay unconnected) or PROCEED when the relay server is down.")
    UnreachablePolicy onUnreachable;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String use = "; use script=" + name + " in the disk specification";
      if (mode.equals("relay") && events.script != null) {
        spec.commandLine().getErr().println("install: in relay mode the relay server runs the "
            + "events script: give --events-script to 'virthooks xen hotplug-relay'");
        return 2;
      }
      return switch (mode) {
        case "relay" -> InstallerCall.print(spec, "install", () -> XenHotplugInstaller
            .installRelay(scriptsDir, name, socket, onUnreachable).message() + use
            + "; it relays to " + socket + ": run 'virthooks xen hotplug-relay --socket " + socket
            + "' or embed a RelayServer");
        case "jvm" -> InstallerCall.print(spec, "install", () -> XenHotplugInstaller
            .installJvm(scriptsDir, name, jvm.javaCommand(), launcherProgram()).message() + use);
        default -> {
          spec.commandLine().getErr().println("install: unknown --mode '" + mode
              + "' (expected jvm or relay)");
          yield 2;
        }
      };
    }

    /** What the launcher runs: {@code xen hotplug} with the events-script options given here. */
    private List<String> launcherProgram() throws java.io.IOException {
      List<String> program = new ArrayList<>(List.of("-jar", jvm.jarPath().toString(), "xen",
          "hotplug"));
      program.addAll(events.asArguments());
      return program;
    }
  }

  /** {@code virthooks xen uninstall}: removes the script if virthooks wrote it. */
  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = "Remove a hotplug script that 'xen install' wrote; never one it did not.")
  static final class Uninstall extends Where implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return InstallerCall.print(spec, "uninstall",
          () -> XenHotplugInstaller.uninstall(scriptsDir, name).message());
    }
  }
}
