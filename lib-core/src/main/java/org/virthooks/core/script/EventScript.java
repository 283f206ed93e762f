package org.virthooks.core.script;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventCategory;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.EventListener;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.Registration;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.Hook;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistration;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.json.EventJson;

/**
 * Runs one external executable for events and hook calls, as the libvirt events-script proposal
 * describes: five arguments (object kind, object name, event, qualifier, extra; {@code -} where
 * absent), the JSON form on standard input, a deadline, and at before-points a non-zero exit
 * refuses with the script's standard error as the message.
 *
 * <p>For a hook call at {@code before:domain.start} about {@code foo} the script runs as
 * {@code script domain foo start before -} (the proposal's own example), with {@code extra} from
 * the call's {@code extra} attribute. For an event it runs as
 * {@code script <category> <name> <kind> <qualifier> <action>}:
 * <ul>
 *   <li>domain: {@code domain web1 stopped destroyed LIFECYCLE/STOPPED/DESTROYED};
 *   <li>resource: {@code resource web1 add-vdisk <service or -> add-vdisk};
 *   <li>progress: {@code progress web1 migration ongoing migration-process};
 *   <li>hardware: {@code hardware <config> spconfig add add-spconfig};
 *   <li>the source's own events: {@code daemon <instance> connection_lost - <action>}.
 * </ul>
 * Standard input holds the JSON form of the event or call (a call's document is its
 * {@code document} field). At a filter point a non-empty standard output replaces the document.
 * Thread-safe.
 */
public final class EventScript implements EventListener<VirtEvent>, Hook, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventScript.class);

  private final EventScriptConfig config;
  private final ScriptRunner runner;

  /** A script with its own {@link ScriptRunner}. */
  public EventScript(EventScriptConfig config) {
    this(config, new ScriptRunner());
  }

  /** A script using {@code runner}. */
  public EventScript(EventScriptConfig config, ScriptRunner runner) {
    this.config = config;
    this.runner = runner;
  }

  /** The configuration. */
  public EventScriptConfig config() {
    return config;
  }

  /** The object kind of an event in argv: the category, {@code daemon} for source events. */
  public static String objectKind(VirtEvent e) {
    return e.category() == EventCategory.SOURCE ? "daemon" : e.category().jsonName();
  }

  /** The five arguments for an event. */
  public static List<String> arguments(VirtEvent e) {
    String name = e.optionalDomain().map(d -> d.name()).orElse(null);
    String qualifier = null;
    if (e instanceof DomainEvent d) {
      qualifier = d.detail().map(s -> s.toLowerCase(java.util.Locale.ROOT)).orElse(null);
    } else if (e instanceof HardwareEvent h) {
      name = h.config().orElse(null);
      qualifier = h.operation().jsonName();
    } else if (e instanceof ProgressEvent p) {
      qualifier = p.status().jsonName();
    } else if (e instanceof ResourceEvent r) {
      qualifier = r.service().orElse(null);
    } else if (e.category() == EventCategory.SOURCE) {
      name = e.source().instance();
    }
    return List.of(objectKind(e), dash(name), e.kindName(), dash(qualifier), dash(e.action()));
  }

  /** The five arguments for a hook call. */
  public static List<String> arguments(HookCall c) {
    return List.of(c.point().object(), dash(c.domain().map(d -> d.name()).orElse(null)),
        c.point().operation(), c.point().phase().jsonName(), dash(c.attribute("extra").orElse(null)));
  }

  private static String dash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  /** Runs the script for an event of a category in the set; failures are logged. */
  @Override
  public void onEvent(VirtEvent event) {
    if (!config.covers(objectKind(event))) {
      return;
    }
    ScriptResult r = runFromAnyThread(arguments(event), w -> EventJson.write(event, w));
    if (!r.succeeded()) {
      LOG.warn("events script {} failed for {} event '{}': {}", config.script(),
          event.category().jsonName(), event.action(), r.errorLine());
    }
  }

  /** Runs the script for a hook call and turns its exit into a verdict. */
  @Override
  public Verdict apply(HookCall call) {
    if (!config.covers(call.point().object())) {
      return Verdict.proceed();
    }
    ScriptResult r = run(arguments(call), w -> EventJson.write(call, w));
    if (!r.succeeded()) {
      return Verdict.refuse("events script " + config.script().getFileName() + ": " + r.errorLine());
    }
    if (call.point().phase() == HookPhase.FILTER && !r.stdout().isBlank()) {
      if (r.outputCut()) {
        return Verdict.refuse("events script " + config.script().getFileName()
            + ": its output is incomplete (too long, or a child it left kept the pipe open)");
      }
      return Verdict.rewrite(r.stdout());
    }
    return Verdict.proceed();
  }

  // on a delivery thread the wait for the process is announced to the pool, which can then add a
  // thread so that other subscriptions are not held up meanwhile
  private ScriptResult runFromAnyThread(List<String> args, Json stdin) {
    if (!ForkJoinTask.inForkJoinPool()) {
      return run(args, stdin);
    }
    ScriptResult[] result = new ScriptResult[1];
    try {
      ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
        @Override
        public boolean block() {
          result[0] = run(args, stdin);
          return true;
        }

        @Override
        public boolean isReleasable() {
          return result[0] != null;
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ScriptResult.failed(1, "interrupted before the events script ran");
    }
    return result[0];
  }

  /** Writes one JSON form to the script's standard input. */
  private interface Json {
    void writeTo(Writer w);
  }

  // written as the script reads it: a hook call's JSON holds its document, up to DocumentLimit,
  // and as one string (then bytes, then the runner's copy) it would cost several times that
  private ScriptResult run(List<String> args, Json stdin) {
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(config.script().toString());
    argv.addAll(args);
    try {
      return runner.run(argv, Map.of(), out -> {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try {
          stdin.writeTo(w);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        w.flush();
      }, config.timeout());
    } catch (IOException e) {
      return ScriptResult.failed(127, "cannot run " + config.script() + ": " + e.getMessage());
    }
  }

  /**
   * Subscribes the script to the categories of its set, asynchronously: a slow script holds up
   * the event source only once 8192 events wait for it ({@link OverflowPolicy#BLOCK}: none is lost).
   */
  public Registration listenTo(EventDispatcher dispatcher) {
    return dispatcher.subscribe(VirtEvent.class)
        .name("events-script " + config.script())
        .filter(e -> config.covers(objectKind(e)))
        .async()
        .register(this);
  }

  /**
   * Registers the script as a hook at each of {@code points} whose object is in its set, with
   * its timeout as the deadline, plus the runner's {@link ScriptRunner#OUTPUT_GRACE} for reading
   * what a killed script wrote and a second for killing it: a script that overruns its timeout
   * then refuses with its own words, not with the registry's "did not answer".
   */
  public List<HookRegistration> hookInto(HookRegistry registry, Collection<HookPoint> points) {
    List<HookRegistration> regs = new ArrayList<>();
    for (HookPoint p : points) {
      if (config.covers(p.object())) {
        regs.add(registry.hook(p).name("events-script")
            .deadline(config.timeout().plus(ScriptRunner.OUTPUT_GRACE).plusSeconds(1))
            .register(this));
      }
    }
    return regs;
  }

  /** Stops the runner's I/O threads. */
  @Override
  public void close() {
    runner.close();
  }
}
