package org.virthooks.xen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.hook.HookRegistration;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.relay.RelayHandler;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.internal.HotplugPathProtocol;
import org.virthooks.xen.internal.LibxlProtocol;
import org.virthooks.xen.internal.XenCall;

/**
 * Serves a Xen hotplug script call with the hooks of a {@link HookRegistry} at
 * {@link XenHotplugPoints}: takes the call as data (argv and environment, a
 * {@link ScriptInvocation}), talks to xenstore, and answers with the exit status the toolstack
 * reads. Two conventions, one class each behind this runner:
 * <ul>
 *   <li><b>libxl's</b> (every Xen since 4.2): {@code XENBUS_PATH}, {@code add} / {@code remove}
 *       for block devices, {@code online} / {@code offline type_if=vif} and {@code add} /
 *       {@code remove type_if=tap} for network ones;
 *   <li><b>the 2013 proposal's</b> ({@code HOTPLUG_PATH}, {@code BACKEND_PATH}, one argument per
 *       phase), with its ordering guarantees kept across separate calls.
 * </ul>
 * What each call writes to xenstore is in {@link XenHotplugPoints}. A {@link HotplugHandler} and
 * a {@link NetworkHandler} are the convenient way to write the hooks ({@link HotplugHooks});
 * {@link Builder#blockHandler} and {@link Builder#networkHandler} register them.
 *
 * <p>A call has a budget counted from a start instant (the JVM's start when run as a fresh
 * process), well inside libxl's 40 s: before each point a call with no time left fails saying
 * so, and every hook's deadline is cut to what is left ({@link HookRegistry#invoke(
 * org.virthooks.core.hook.HookCall, Duration)}); a hook registered without a deadline has the
 * registry's default, which for the runner's own registry is the whole budget. Overruns are
 * abandoned and capped by the registry. Every add and remove is also published as a
 * {@link ResourceEvent} ({@code vdisk} / {@code vnet}). Thread-safe (a relay server calls it from
 * several threads); {@link #close()} removes the handlers it registered and closes its own
 * registry.
 */
public final class XenHotplugRunner implements RelayHandler, AutoCloseable {
  /** The default budget: 30 s, leaving libxl's 40 s kill a margin. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
  /** Exit status for a call that is not a hotplug call at all (missing environment, argument). */
  public static final int USAGE = 2;
  /**
   * The environment variables a hotplug call is made of: what a relay client must forward (see
   * {@code org.virthooks.core.relay.RelayClientScript}).
   */
  public static final List<String> ENVIRONMENT = List.of("script", "XENBUS_TYPE", "XENBUS_PATH",
      "XENBUS_BASE_PATH", "HOTPLUG_PATH", "BACKEND_PATH", "vif", "netdev", "XENSTORED_PATH",
      "XENSTORED_RUNDIR");

  private final HookRegistry registry;
  private final boolean ownsRegistry;
  private final List<HookRegistration> registered;
  private final Function<Map<String, String>, XenstoreClient> connector;
  private final Duration budget;
  private final Clock clock;
  private final XenCall.Settings settings;

  /** Settings of a runner. */
  public static final class Builder {
    private HookRegistry registry;
    private HotplugHandler block;
    private NetworkHandler network;
    private EventSink sink = e -> {};
    private Function<Map<String, String>, XenstoreClient> connector;
    private Duration budget = DEFAULT_BUDGET;
    private Clock clock = Clock.systemUTC();
    private String instance = "localhost";

    private Builder() {}

    /**
     * The hooks; by default a registry of the runner's own, whose default deadline is the budget
     * and which {@link #close()} closes. A registry given here stays open: it is the caller's.
     */
    public Builder registry(HookRegistry hooks) {
      this.registry = hooks;
      return this;
    }

    /**
     * A block handler (vbd, vbd3, and the proposal's phases) registered at build as the
     * {@link HotplugHooks#BLOCK_HANDLER} hooks of the registry, removed at close; null for none.
     */
    public Builder blockHandler(HotplugHandler handler) {
      this.block = handler;
      return this;
    }

    /** A network handler (vif, tap), registered as {@link #blockHandler} is; null for none. */
    public Builder networkHandler(NetworkHandler handler) {
      this.network = handler;
      return this;
    }

    /** Where add and remove are published as resource events; nowhere by default. */
    public Builder eventSink(EventSink sink) {
      this.sink = sink;
      return this;
    }

    /**
     * How to reach xenstore for a call's environment; by default {@code XENSTORED_PATH} /
     * {@code XENSTORED_RUNDIR} from the call, then from this process.
     */
    public Builder connector(Function<Map<String, String>, XenstoreClient> connector) {
      this.connector = connector;
      return this;
    }

    /** The time a call may take in all, counted from the start instant given to run. */
    public Builder budget(Duration budget) {
      if (budget == null || budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("budget must be positive: " + budget);
      }
      this.budget = budget;
      return this;
    }

    /** The clock for budgets and event times. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The instance named in calls' and events' source ({@code xen:<instance>}); the host by default. */
    public Builder instance(String instance) {
      this.instance = instance;
      return this;
    }

    /** The runner. */
    public XenHotplugRunner build() {
      return new XenHotplugRunner(this);
    }
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  private XenHotplugRunner(Builder b) {
    this.ownsRegistry = b.registry == null;
    this.registry = ownsRegistry ? HookRegistry.withDefaultDeadline(b.budget) : b.registry;
    List<HookRegistration> regs = new ArrayList<>();
    try {
      if (b.block != null) {
        regs.addAll(HotplugHooks.register(registry, b.block));
      }
      if (b.network != null) {
        regs.addAll(HotplugHooks.register(registry, b.network));
      }
    } catch (RuntimeException e) {
      regs.forEach(HookRegistration::close);
      if (ownsRegistry) {
        registry.close();
      }
      throw e;
    }
    this.registered = List.copyOf(regs);
    this.connector = b.connector != null ? b.connector : XenHotplugRunner::defaultConnect;
    this.budget = b.budget;
    this.clock = b.clock;
    this.settings = new XenCall.Settings(registry, b.sink,
        new EventStamper(SourceId.of("xen", b.instance), b.clock), b.budget, b.clock,
        Set.copyOf(ENVIRONMENT));
  }

  /** The hooks the runner calls. */
  public HookRegistry registry() {
    return registry;
  }

  private static XenstoreClient defaultConnect(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    for (String k : List.of("XENSTORED_PATH", "XENSTORED_RUNDIR")) {
      String v = env.containsKey(k) ? env.get(k) : System.getenv(k);
      if (v != null) {
        merged.put(k, v);
      }
    }
    try {
      return XenstoreClient.open(merged);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs one relayed call, its budget counted from now. */
  @Override
  public ScriptResult handle(ScriptInvocation call) {
    return run(call);
  }

  /** Runs one call, its budget counted from now. */
  public ScriptResult run(ScriptInvocation call) {
    return run(call, clock.instant());
  }

  /**
   * Runs one call whose budget started at {@code started} (a fresh JVM passes its own start, so
   * that start-up time counts).
   */
  public ScriptResult run(ScriptInvocation call, Instant started) {
    Map<String, String> env = call.env();
    boolean hotplugPath = env.containsKey("HOTPLUG_PATH");
    if (!hotplugPath && !env.containsKey("XENBUS_PATH")) {
      return ScriptResult.failed(USAGE, "neither HOTPLUG_PATH nor XENBUS_PATH is set: this is "
          + "a Xen hotplug script and expects to be run by the toolstack (libxl)\n");
    }
    if (call.argv().size() < 2 || call.argv().get(1).isBlank()) {
      return ScriptResult.failed(USAGE, "missing the operation argument (add, remove, ...)\n");
    }
    try (XenstoreClient xs = connect(env)) {
      XenCall c = new XenCall(settings, xs, env, call.argv(), started.plus(budget));
      return hotplugPath ? HotplugPathProtocol.run(c) : LibxlProtocol.run(c);
    } catch (IOException e) {
      return ScriptResult.failed(1, "xenstore: " + e.getMessage() + "\n");
    }
  }

  private XenstoreClient connect(Map<String, String> env) throws IOException {
    try {
      return connector.apply(env);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Removes the handlers it registered; closes the registry when it is the runner's own (its
   * hook threads stop, a hook still running is interrupted).
   */
  @Override
  public void close() {
    registered.forEach(HookRegistration::close);
    if (ownsRegistry) {
      registry.close();
    }
  }
}
