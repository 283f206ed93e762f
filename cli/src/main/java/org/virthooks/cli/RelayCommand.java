package org.virthooks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.script.EventScript;
import org.virthooks.core.script.EventScriptConfig;
import org.virthooks.libvirt.LibvirtHookPoints;
import org.virthooks.libvirt.LibvirtHookProvider;
import org.virthooks.libvirt.LibvirtHookRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code virthooks relay}: a relay server for installed hook scripts, outside any application. */
@Command(name = "relay", mixinStandardHelpOptions = true,
    description = "The relay: hook-script calls answered by a long-running JVM.",
    subcommands = {RelayCommand.Serve.class})
public final class RelayCommand implements Runnable {
  /** The object kinds a relay's events script gets unless told otherwise: every libvirt kind. */
  static final String DEFAULT_EVENTS_SET = "daemon domain network";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code serve}: answers libvirt hook calls until stopped. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Answer the libvirt hook calls that the installed relay clients forward, with "
          + "the hooks found by ServiceLoader and an optional events script, until interrupted.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--socket", required = true, description = "The Unix socket to listen on "
        + "(made mode 0600; callers are checked with SO_PEERCRED).")
    Path socket;

    @Option(names = "--events-script", description = "Run this executable at every hook point "
        + "(seed 001's events script: a non-zero exit refuses at before-points).")
    Path eventsScript;

    @Option(names = "--events-set", defaultValue = DEFAULT_EVENTS_SET,
        description = "The object kinds the events script gets (default: ${DEFAULT-VALUE}).")
    String eventsSet;

    @Option(names = "--events-timeout", defaultValue = "10",
        description = "The events script's deadline in seconds (default: ${DEFAULT-VALUE}).")
    String eventsTimeout;

    @Option(names = "--deadline", defaultValue = "10",
        description = "Default deadline of each hook in seconds (default: ${DEFAULT-VALUE}).")
    double deadline;

    @Option(names = "--allow-user", paramLabel = "USER",
        description = "Users allowed to call (default: root and this process's user).")
    List<String> users = new ArrayList<>();

    @Option(names = "--json", description = "Print each call as a JSON line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Released by tests (and the shutdown hook) to stop serving. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      EventScript script = null;
      try (HookRegistry hooks = HookRegistry.withDefaultDeadline(
               Duration.ofMillis(Math.round(deadline * 1000)));
           EventDispatcher events = EventDispatcher.create()) {
        for (LibvirtHookProvider p : ServiceLoader.load(LibvirtHookProvider.class)) {
          p.register(hooks);
          p.listen(events);
        }
        if (eventsScript != null) {
          script = new EventScript(EventScriptConfig.of(eventsScript.toString(), eventsSet,
              eventsTimeout));
          script.hookInto(hooks, LibvirtHookPoints.ALL);
        }
        if (json) {
          events.on(VirtEvent.class, e -> {
            synchronized (out) {
              out.println(EventJson.toJson(e));
              out.flush();
            }
          });
        }
        // compiled parsing from the first call on: a second of CPU now, milliseconds per call later
        LibvirtHookRunner runner = LibvirtHookRunner.of(hooks, events).warmUp(3000);
        RelayServer.Builder b = RelayServer.builder(socket, runner);
        if (!users.isEmpty()) {
          b.allowUsers(Set.copyOf(users));
        }
        try (UntilStopped until = new UntilStopped("virthooks-relay-shutdown", stop);
            RelayServer server = b.start()) {
          out.println("relay listening on " + server.socket() + " with hooks at "
              + hooks.points().size() + " points");
          out.flush();
          until.await(0);
        }
        return 0;
      } catch (IOException | IllegalArgumentException e) {
        err.println("relay serve: " + e.getMessage());
        return 1;
      } finally {
        if (script != null) {
          script.close();
        }
      }
    }
  }
}
