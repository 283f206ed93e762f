package org.virthooks.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.script.BoundedInput;
import org.virthooks.core.script.EventScript;
import org.virthooks.core.script.EventScriptConfig;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * The hook script in a fresh JVM: what the launcher written by
 * {@link LibvirtHookInstaller#installJvm} execs, and what {@code virthooks libvirt hook} runs.
 * Hooks come from every {@link LibvirtHookProvider} found with {@link ServiceLoader}, and
 * optionally from an events script.
 *
 * <pre>
 * java -cp CLASSPATH org.virthooks.libvirt.LibvirtHookMain [options] -- SCRIPT OBJECT OP SUBOP EXTRA
 *   --deadline SECONDS        deadline for standard input to end, and the default deadline of
 *                             every hook (default 10)
 *   --events-script PATH      also run this executable at every point (seed 001's events script)
 *   --events-set KINDS        the object kinds it gets (default "daemon domain network")
 *   --events-timeout SECONDS  its deadline (default 10)
 *   --warm-up                 answer sample calls of every driver with no hooks, then exit:
 *                             run once with -XX:ArchiveClassesAtExit=FILE to make an AppCDS
 *                             archive for the launcher (-XX:SharedArchiveFile=FILE)
 * </pre>
 * Start-up is what a call costs here (about 150 ms with JAXB); the relay avoids it.
 *
 * <p>Standard input is read first, whole, with {@link BoundedInput}: it must end within the
 * deadline and hold at most {@link org.virthooks.core.hook.DocumentLimit#MAX_BYTES}. Reading it
 * is the call's first step, with the same deadline as a hook registered without one; the hooks'
 * deadlines start after it, so a call takes at most that deadline plus its hooks' own. libvirt
 * writes the document and closes the pipe at once: a healthy call spends no time of its budget
 * here. Input that is over the limit, does not end in time or cannot be read is refused at
 * before and filter points (exit 1, the reason on stderr) and warned about at after points
 * (exit 0, the hooks run without it): see {@link LibvirtHookRunner}.
 */
public final class LibvirtHookMain {
  private LibvirtHookMain() {}

  /** Runs one call and exits with its status. */
  public static void main(String[] args) {
    int code = run(Arrays.asList(args), System.in, System.out, System.err, System.getenv());
    System.out.flush();
    System.err.flush();
    // halt: an abandoned, overrunning hook thread must not keep the JVM (and libvirtd) waiting
    Runtime.getRuntime().halt(code);
  }

  /** Parses the options, runs the call and writes its output; returns the exit status. */
  public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err,
      Map<String, String> env) {
    Duration deadline = HookRegistry.DEFAULT_DEADLINE;
    String eventsScript = null;
    String eventsSet = "daemon domain network";
    String eventsTimeout = null;
    List<String> argv = new ArrayList<>();
    int i = 0;
    try {
      for (; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--")) {
          i++;
          break;
        }
        if (a.equals("--warm-up")) {
          return warmUp();
        }
        if (!a.startsWith("--")) {
          break;
        }
        String v = i + 1 < args.size() ? args.get(++i) : null;
        if (v == null) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        switch (a) {
          case "--deadline" -> deadline = seconds(a, v);
          case "--events-script" -> eventsScript = v;
          case "--events-set" -> eventsSet = v;
          case "--events-timeout" -> eventsTimeout = v;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("virthooks libvirt hook: " + e.getMessage());
      return LibvirtHookRunner.USAGE;
    }
    argv.addAll(args.subList(Math.min(i, args.size()), args.size()));
    if (argv.size() < 3) {
      err.println("usage: ... [--deadline S] [--events-script PATH [--events-set KINDS]] -- "
          + "SCRIPT OBJECT OPERATION SUB-OPERATION EXTRA (as libvirt calls a hook script)");
      return LibvirtHookRunner.USAGE;
    }
    // from the arguments alone: whatever happens to stdin or below, the answer fits the phase
    HookPoint point = LibvirtHookRunner.pointOf(argv);
    LibvirtHookRunner.Stdin stdin = readStdin(in, deadline);
    EventScript script = null;
    try (HookRegistry registry = HookRegistry.withDefaultDeadline(deadline);
         EventDispatcher events = EventDispatcher.builder().closeGrace(Duration.ofSeconds(2))
             .build()) {
      for (LibvirtHookProvider p : ServiceLoader.load(LibvirtHookProvider.class)) {
        p.register(registry);
        p.listen(events);
      }
      if (eventsScript != null) {
        script = new EventScript(EventScriptConfig.of(eventsScript, eventsSet, eventsTimeout));
        script.hookInto(registry, LibvirtHookPoints.ALL);
      }
      ScriptResult r = LibvirtHookRunner.of(registry, events).answer(argv, stdin);
      out.write(r.stdout().getBytes(StandardCharsets.UTF_8));
      err.write(r.stderr().getBytes(StandardCharsets.UTF_8));
      return r.exitCode();
    } catch (IOException | RuntimeException | Error e) {
      // a broken provider (ServiceConfigurationError), memory: still an answer libvirt can use
      String what = e.getMessage() != null ? e.getMessage() : e.toString();
      if (point.phase() == HookPhase.AFTER) {
        err.println("virthooks: warning: " + what + "; going on");
        return 0;
      }
      err.println("virthooks: " + what + "; refusing");
      return 1;
    } finally {
      if (script != null) {
        script.close();
      }
    }
  }

  private static Duration seconds(String option, String value) {
    double s;
    try {
      s = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number of seconds, not '" + value
          + "'");
    }
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException(option + " must be a positive number of seconds");
    }
    return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
  }

  // decoded as it arrives: the document's bytes are never all held, only its text
  private static LibvirtHookRunner.Stdin readStdin(InputStream in, Duration deadline) {
    BoundedInput.Result<String> r = BoundedInput.readUtf8(in, deadline);
    return r.complete() ? LibvirtHookRunner.Stdin.text(r.value())
        : LibvirtHookRunner.Stdin.failed(r.problem());
  }

  /**
   * Loads what a call needs (JAXB, the parsers, the runner, the providers' classes) by answering
   * sample calls with an empty registry: no hook of anyone runs.
   */
  static int warmUp() {
    String xml = LibvirtHookRunner.SAMPLE_DOMAIN;
    String net = LibvirtHookRunner.SAMPLE_NETWORK;
    ServiceLoader.load(LibvirtHookProvider.class).stream().forEach(ServiceLoader.Provider::type);
    try (HookRegistry registry = HookRegistry.create();
         EventDispatcher events = EventDispatcher.create()) {
      registry.register(LibvirtHookPoints.UNKNOWN_OTHER, "warm-up", c ->
          org.virthooks.core.hook.Verdict.proceed());
      LibvirtHookRunner r = LibvirtHookRunner.of(registry, events);
      byte[] d = xml.getBytes(StandardCharsets.UTF_8);
      for (String op : List.of("prepare", "start", "started", "restore", "release")) {
        r.run(new ScriptInvocation(List.of("/etc/libvirt/hooks/qemu", "warm-up", op, "begin", "-"),
            Map.of(), d));
      }
      r.run(new ScriptInvocation(List.of("/etc/libvirt/hooks/network", "default", "port-created",
          "begin", "-"), Map.of(), net.getBytes(StandardCharsets.UTF_8)));
      r.run(new ScriptInvocation(List.of("/etc/libvirt/hooks/daemon", "-", "reload", "begin",
          "SIGHUP"), Map.of(), null));
      r.run(new ScriptInvocation(List.of("/x/warm-up", "-", "x", "-", "-"), Map.of(), null));
    }
    return 0;
  }

  /** The path of the script argument, for messages. */
  static Path scriptOf(List<String> argv) {
    return Path.of(argv.get(0));
  }
}
