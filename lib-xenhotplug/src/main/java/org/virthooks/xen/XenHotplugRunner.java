package org.virthooks.xen;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceId;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugAnswer;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugPhase;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.internal.XsPaths;

/**
 * Serves a Xen hotplug script call with Java handlers: takes the call as data (argv and
 * environment, a {@link ScriptInvocation}), talks to xenstore, and answers with the exit status
 * the toolstack reads. Two conventions:
 * <ul>
 *   <li><b>libxl's</b> (every Xen since 4.2): {@code XENBUS_PATH} (relative), {@code add} /
 *       {@code remove} for block devices, {@code online} / {@code offline type_if=vif} and
 *       {@code add} / {@code remove type_if=tap} for network ones. A block add runs prepare then
 *       add and writes {@code physical-device} (hex major:minor), {@code physical-device-path}
 *       and {@code hotplug-status = connected}; a failure writes {@code hotplug-error} and
 *       {@code hotplug-status = error} (or {@code busy}) and exits 1; an add whose
 *       {@code physical-device} exists does nothing. A remove runs remove then unprepare.
 *   <li><b>The 2013 proposal's</b> ({@code HOTPLUG_PATH}, {@code BACKEND_PATH}, one argument per
 *       phase), with its ordering guarantees kept across separate calls in
 *       {@code HOTPLUG_PATH/virthooks}.
 * </ul>
 * Each handler call is bounded by a budget counted from a start instant (the JVM's start when run
 * as a fresh process), well inside libxl's 40 s. Every add and remove is also published as a
 * {@link ResourceEvent} ({@code vdisk} / {@code vnet}). Thread-safe; {@link #close()} stops the
 * handler thread pool.
 */
public final class XenHotplugRunner implements AutoCloseable {
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
  private static final Set<String> ENV_KEPT = Set.copyOf(ENVIRONMENT);

  private final HotplugHandler block;
  private final NetworkHandler network;
  private final EventSink sink;
  private final Function<Map<String, String>, XenstoreClient> connector;
  private final Duration budget;
  private final Clock clock;
  private final EventStamper stamper;
  private final ExecutorService calls = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setNameFormat("virthooks-xen-hotplug-%d").setDaemon(true)
          .build());

  /** Settings of a runner. */
  public static final class Builder {
    private HotplugHandler block;
    private NetworkHandler network;
    private EventSink sink = e -> {};
    private Function<Map<String, String>, XenstoreClient> connector;
    private Duration budget = DEFAULT_BUDGET;
    private Clock clock = Clock.systemUTC();
    private String instance = "localhost";

    private Builder() {}

    /** The handler for block devices (vbd, vbd3, and the proposal's phases). */
    public Builder blockHandler(HotplugHandler handler) {
      this.block = handler;
      return this;
    }

    /** The handler for network devices (vif, tap). */
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

    /** The instance named in events' source ({@code xen:<instance>}); the host by default. */
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
    this.block = b.block;
    this.network = b.network;
    this.sink = b.sink;
    this.connector = b.connector != null ? b.connector : XenHotplugRunner::defaultConnect;
    this.budget = b.budget;
    this.clock = b.clock;
    this.stamper = new EventStamper(SourceId.of("xen", b.instance), b.clock);
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
      throw new java.io.UncheckedIOException(e);
    }
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
    Instant deadline = started.plus(budget);
    Map<String, String> env = call.env();
    List<String> argv = call.argv();
    String op = argv.size() > 1 ? argv.get(1) : null;
    boolean seed = env.containsKey("HOTPLUG_PATH");
    if (!seed && !env.containsKey("XENBUS_PATH")) {
      return ScriptResult.failed(USAGE, "neither HOTPLUG_PATH nor XENBUS_PATH is set: this is "
          + "a Xen hotplug script and expects to be run by the toolstack (libxl)\n");
    }
    if (op == null) {
      return ScriptResult.failed(USAGE, "missing the operation argument (add, remove, ...)\n");
    }
    try (XenstoreClient xs = connect(env)) {
      return seed ? new SeedCall(xs, env, op, deadline).run()
          : new LibxlCall(xs, env, argv, op, deadline).run();
    } catch (IOException | java.io.UncheckedIOException e) {
      return ScriptResult.failed(1, "xenstore: " + e.getMessage() + "\n");
    }
  }

  private XenstoreClient connect(Map<String, String> env) throws IOException {
    try {
      return connector.apply(env);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A handler body that may throw what handlers throw. */
  private interface Body<T> {
    T call() throws HotplugException;
  }

  /** Runs {@code body} on a pool thread, waiting until {@code deadline}. */
  private <T> T bounded(String what, Instant deadline, Body<T> body) throws HotplugException {
    long left = Duration.between(clock.instant(), deadline).toNanos();
    if (left <= 0) {
      throw new HotplugException(what + ": no time left in the " + budget.toSeconds()
          + " s budget (start-up took it all)");
    }
    Future<T> f = calls.submit(body::call);
    try {
      return f.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new HotplugException(what + ": handler did not finish within the "
          + budget.toMillis() + " ms budget");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new HotplugException(what + ": interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof HotplugException h) {
        throw h;
      }
      throw new HotplugException(what + ": handler failed: " + c, c);
    }
  }

  private static Map<String, String> keptEnv(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (ENV_KEPT.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The keys directly under {@code path} with their values; empty when it does not exist. */
  private static Map<String, String> readDir(Xenstore xs, String path) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> names;
    try {
      names = xs.directory(path);
    } catch (XenstoreException e) {
      if (e.isNotFound()) {
        return out;
      }
      throw e;
    }
    for (String n : names) {
      xs.tryRead(path + "/" + n).ifPresent(v -> out.put(n, v));
    }
    return out;
  }

  private static OptionalInt parseInt(String s) {
    if (s == null || !s.matches("[0-9]{1,9}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(s));
  }

  private static String[] components(String path) {
    return path.split("/");
  }

  private void publish(Xenstore xs, Operation op, ResourceType type, OptionalInt domid,
      Optional<String> devid, String action, Map<String, String> attrs) {
    try {
      DomainRef dom = null;
      if (domid.isPresent()) {
        int id = domid.getAsInt();
        String name = xs.tryRead("/local/domain/" + id + "/name").orElse("domain-" + id);
        dom = DomainRef.of(name).withId(id);
      }
      ResourceEvent e = new ResourceEvent(stamper.next(action, attrs), Optional.ofNullable(dom),
          op, type, devid, Optional.empty());
      sink.publish(e);
    } catch (IOException | RuntimeException e) {
      // publishing is an observation: it never changes what the toolstack is told
    }
  }

  private static ScriptResult failure(String message) {
    return ScriptResult.failed(1, message + "\n");
  }

  // ------------------------------------------------------------------------- libxl

  private final class LibxlCall {
    final XenstoreClient xs;
    final Map<String, String> env;
    final List<String> argv;
    final String op;
    final Instant deadline;
    final String path;
    final String type;
    final OptionalInt guest;
    final Optional<String> devid;

    LibxlCall(XenstoreClient xs, Map<String, String> env, List<String> argv, String op,
        Instant deadline) {
      this.xs = xs;
      this.env = env;
      this.argv = argv;
      this.op = op;
      this.deadline = deadline;
      this.path = env.get("XENBUS_PATH");
      String[] parts = components(path);
      // backend/<type>/<domid>/<devid>: the type is also in XENBUS_TYPE, the ids only here
      this.type = env.getOrDefault("XENBUS_TYPE", parts.length >= 3 ? parts[parts.length - 3] : "");
      this.guest = parts.length >= 2 ? parseInt(parts[parts.length - 2]) : OptionalInt.empty();
      this.devid = parts.length >= 1 ? Optional.of(parts[parts.length - 1]) : Optional.empty();
    }

    ScriptResult run() throws IOException {
      String bad = XsPaths.problem(path);
      if (bad != null) {
        return ScriptResult.failed(USAGE, "XENBUS_PATH '" + path + "' is not a xenstore path: "
            + bad + "\n");
      }
      String typeIf = null;
      for (String a : argv.subList(1, argv.size())) {
        if (a.startsWith("type_if=")) {
          typeIf = a.substring("type_if=".length());
        }
      }
      if (type.equals("vif") || typeIf != null) {
        return network(typeIf == null ? "vif" : typeIf);
      }
      return switch (op) {
        case "add" -> blockAdd();
        case "remove" -> blockRemove();
        default -> ScriptResult.failed(USAGE, "unknown block hotplug operation '" + op
            + "' (expected add or remove)\n");
      };
    }

    HotplugRequest request(HotplugPhase phase, Map<String, String> backend) {
      return new HotplugRequest(phase, guest, devid, Optional.ofNullable(backend.get("params")),
          Optional.ofNullable(backend.get("mode")), backend, keptEnv(env));
    }

    ScriptResult blockAdd() throws IOException {
      if (xs.exists(path + "/physical-device")) {
        // the stock script's rule: called twice by some configurations, the second does nothing
        return ScriptResult.ok("");
      }
      Map<String, String> backend = readDir(xs, path);
      Map<String, String> attrs = new LinkedHashMap<>();
      attrs.put("backend", path);
      try {
        if (block == null) {
          throw new HotplugException("no block hotplug handler is configured");
        }
        HotplugRequest prep = request(HotplugPhase.PREPARE, backend);
        bounded("prepare", deadline, () -> HotplugAnswer.call(block, prep));
        HotplugRequest add = request(HotplugPhase.ADD, backend);
        BlockDevice dev = bounded("add", deadline,
            () -> BlockDevices.verify(HotplugAnswer.call(block, add).device().orElseThrow()));
        Map<String, String> extra = block instanceof XenBlockHandler x
            ? x.extraBackendKeys(add, dev) : Map.of();
        try {
          checkSharing(dev, backend.getOrDefault("mode", "w"));
        } catch (HotplugException busy) {
          // undo what add did (a loop device), as the stock script never made one; remove
          // finds it through the keys a successful add would have written
          Map<String, String> undo = new LinkedHashMap<>(backend);
          undo.putAll(extra);
          undo.put("physical-device", dev.majorMinorHex());
          undo.put("physical-device-path", dev.path().toString());
          try {
            bounded("remove", deadline, () -> HotplugAnswer.call(block,
                request(HotplugPhase.REMOVE, undo)));
          } catch (HotplugException ignored) {
            // the busy verdict is what the toolstack needs to hear
          }
          throw busy;
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
          xs.write(path + "/" + e.getKey(), e.getValue());
        }
        // the order of the stock script's write_dev: libxl watches hotplug-status, so it is last
        xs.write(path + "/physical-device", dev.majorMinorHex());
        xs.write(path + "/physical-device-path", dev.path().toString());
        xs.write(path + "/hotplug-status", "connected");
        attrs.put("outcome", "ok");
        attrs.put("physical-device", dev.majorMinorHex());
        attrs.put("physical-device-path", dev.path().toString());
        publish(xs, Operation.ADD, ResourceType.VDISK, guest, devid, type + " add", attrs);
        return ScriptResult.ok("");
      } catch (HotplugException e) {
        reportFailure(e);
        attrs.put("outcome", e.isBusy() ? "busy" : "failed");
        attrs.put("error", e.getMessage());
        publish(xs, Operation.ADD, ResourceType.VDISK, guest, devid, type + " add", attrs);
        return failure(e.getMessage());
      }
    }

    ScriptResult blockRemove() throws IOException {
      Map<String, String> backend = readDir(xs, path);
      Map<String, String> attrs = new LinkedHashMap<>();
      attrs.put("backend", path);
      HotplugException first = null;
      if (block == null) {
        first = new HotplugException("no block hotplug handler is configured");
      } else {
        // unprepare runs even when remove failed: it undoes prepare, which did succeed
        for (HotplugPhase p : List.of(HotplugPhase.REMOVE, HotplugPhase.UNPREPARE)) {
          try {
            HotplugRequest r = request(p, backend);
            bounded(p.argument(), deadline, () -> HotplugAnswer.call(block, r));
          } catch (HotplugException e) {
            first = first == null ? e : first;
          }
        }
      }
      attrs.put("outcome", first == null ? "ok" : "failed");
      publish(xs, Operation.REMOVE, ResourceType.VDISK, guest, devid, type + " remove", attrs);
      if (first != null) {
        reportFailure(first);
        return failure(first.getMessage());
      }
      return ScriptResult.ok("");
    }

    /**
     * The stock script's check_sharing against other guests: a device used read-write by
     * another guest cannot be used at all, one used read-only only read-only.
     */
    void checkSharing(BlockDevice dev, String mode) throws IOException, HotplugException {
      String m = canonicalMode(mode);
      if (m.equals("!")) {
        return;
      }
      String base = env.getOrDefault("XENBUS_BASE_PATH", "backend") + "/" + type;
      String mm = dev.majorMinorHex();
      for (String dom : listOrEmpty(base)) {
        for (String d : listOrEmpty(base + "/" + dom)) {
          String other = base + "/" + dom + "/" + d;
          if (other.equals(path) || (guest.isPresent() && dom.equals(
              Integer.toString(guest.getAsInt())))) {
            continue;
          }
          if (!mm.equals(xs.tryRead(other + "/physical-device").orElse(null))) {
            continue;
          }
          String otherMode = canonicalMode(xs.tryRead(other + "/mode").orElse("w"));
          if (m.equals("w") || otherMode.equals("w")) {
            throw HotplugException.busy("Device " + dev.path() + " is mounted "
                + (m.equals("w") ? "" : "read-write ") + "in a guest domain, and so cannot be "
                + "mounted " + (m.equals("w") ? "" : "read-only ") + "now.");
          }
        }
      }
    }

    List<String> listOrEmpty(String p) throws IOException {
      try {
        return xs.directory(p);
      } catch (XenstoreException e) {
        if (e.isNotFound()) {
          return List.of();
        }
        throw e;
      }
    }

    /** hotplug-error then hotplug-status in one transaction, as the scripts' fatal/ebusy. */
    void reportFailure(HotplugException e) throws IOException {
      String status = e.isBusy() ? "busy" : "error";
      xs.transaction(tx -> {
        tx.write(path + "/hotplug-error", oneLine(e.getMessage()));
        tx.write(path + "/hotplug-status", status);
        return null;
      });
    }

    ScriptResult network(String typeIf) throws IOException {
      Map<String, String> backend = readDir(xs, path);
      VifRequest r = new VifRequest(op, typeIf, guest, devid,
          Optional.ofNullable(env.get("vif")), Optional.ofNullable(env.get("netdev")), backend,
          keptEnv(env));
      Operation evOp = switch (op) {
        case "online", "add" -> Operation.ADD;
        case "offline", "remove" -> Operation.REMOVE;
        default -> null;
      };
      if (evOp == null) {
        return ScriptResult.failed(USAGE, "unknown network hotplug operation '" + op
            + "' (expected online, offline, add or remove)\n");
      }
      Map<String, String> attrs = new LinkedHashMap<>();
      attrs.put("backend", path);
      attrs.put("type_if", typeIf);
      try {
        if (network == null) {
          throw new HotplugException("no network hotplug handler is configured");
        }
        bounded(op, deadline, () -> {
          switch (op) {
            case "online" -> network.online(r);
            case "offline" -> network.offline(r);
            case "add" -> network.add(r);
            default -> network.remove(r);
          }
          return null;
        });
        if (op.equals("online") && typeIf.equals("vif")) {
          xs.write(path + "/hotplug-status", "connected");
        }
        attrs.put("outcome", "ok");
        publish(xs, evOp, ResourceType.VNET, guest, devid, "vif " + op, attrs);
        return ScriptResult.ok("");
      } catch (HotplugException e) {
        reportFailure(e);
        attrs.put("outcome", "failed");
        publish(xs, evOp, ResourceType.VNET, guest, devid, "vif " + op, attrs);
        return failure(e.getMessage());
      }
    }
  }

  /** {@code w}, {@code r} or {@code !} as the stock script's canonicalise_mode. */
  static String canonicalMode(String mode) {
    String m = mode == null ? "w" : mode.toLowerCase(Locale.ROOT);
    if (m.contains("!")) {
      return "!";
    }
    return m.startsWith("r") ? "r" : "w";
  }

  private static String oneLine(String s) {
    return s == null ? "failed" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  // ------------------------------------------------------------------------- the proposal

  private final class SeedCall {
    final XenstoreClient xs;
    final Map<String, String> env;
    final String op;
    final Instant deadline;
    final String hp;
    final String bp;
    final String state;

    SeedCall(XenstoreClient xs, Map<String, String> env, String op, Instant deadline) {
      this.xs = xs;
      this.env = env;
      this.op = op;
      this.deadline = deadline;
      this.hp = env.get("HOTPLUG_PATH");
      String b = env.get("BACKEND_PATH");
      this.bp = b == null || b.isEmpty() ? null : b;
      this.state = hp + "/virthooks";
    }

    ScriptResult run() throws IOException {
      String bad = XsPaths.problem(hp);
      if (bad != null) {
        return ScriptResult.failed(USAGE, "HOTPLUG_PATH '" + hp + "' is not a xenstore path: "
            + bad + "\n");
      }
      if (bp != null && XsPaths.problem(bp) != null) {
        return ScriptResult.failed(USAGE, "BACKEND_PATH '" + bp + "' is not a xenstore path: "
            + XsPaths.problem(bp) + "\n");
      }
      HotplugPhase phase;
      try {
        phase = HotplugPhase.parse(op);
      } catch (IllegalArgumentException e) {
        return ScriptResult.failed(USAGE, e.getMessage() + "\n");
      }
      if (block == null) {
        return failure("no block hotplug handler is configured");
      }
      if (phase.needsPrepare() && !"1".equals(xs.tryRead(state + "/prepared").orElse(null))) {
        return failure(phase.argument() + " refused: prepare has not succeeded for " + hp);
      }
      if ((phase == HotplugPhase.ADD || phase == HotplugPhase.REMOVE) && bp == null) {
        return ScriptResult.failed(USAGE, phase.argument() + " needs BACKEND_PATH\n");
      }
      // /local/domain/<local>/libxl/hotplug/<guest>/<device>
      String[] parts = components(hp);
      OptionalInt guest = parts.length >= 2 ? parseInt(parts[parts.length - 2])
          : OptionalInt.empty();
      Optional<String> dev = Optional.of(parts[parts.length - 1]);
      Map<String, String> backend = bp == null ? Map.of() : readDir(xs, bp);
      HotplugRequest req = new HotplugRequest(phase, guest, dev, xs.tryRead(hp + "/params"),
          Optional.ofNullable(backend.get("mode")), backend, keptEnv(env));
      Map<String, String> attrs = new LinkedHashMap<>();
      attrs.put("hotplug-path", hp);
      attrs.put("phase", phase.argument());
      try {
        HotplugAnswer a = bounded(phase.argument(), deadline, () -> {
          HotplugAnswer ans = HotplugAnswer.call(block, req);
          if (ans.device().isPresent()) {
            BlockDevices.verify(ans.device().get());
          }
          return ans;
        });
        switch (phase) {
          case VERSION -> xs.write(hp + "/version", Integer.toString(a.version().orElse(1)));
          case PREPARE -> xs.write(state + "/prepared", "1");
          case ADD -> {
            BlockDevice d = a.device().orElseThrow();
            xs.write(bp + "/physical-device", d.majorMinorHex());
            xs.write(bp + "/params", d.path().toString());
            xs.write(hp + "/pdev", d.path().toString());
            xs.write(state + "/add", "ok");
            attrs.put("physical-device", d.majorMinorHex());
          }
          case REMOVE -> xs.rm(state + "/add");
          case LOCALATTACH -> {
            xs.write(hp + "/pdev", a.device().orElseThrow().path().toString());
            xs.write(state + "/localattach", "ok");
          }
          case LOCALDETACH -> xs.rm(state + "/localattach");
          case UNPREPARE -> xs.rm(state);
          default -> { }
        }
        attrs.put("outcome", "ok");
        publishSeed(phase, guest, dev, attrs);
        return ScriptResult.ok("");
      } catch (HotplugException e) {
        if (phase == HotplugPhase.ADD || phase == HotplugPhase.LOCALATTACH) {
          // remembered so that remove / localdetach know what they clean up after
          xs.write(state + "/" + phase.argument(), "failed");
        }
        xs.write(hp + "/hotplug-error", oneLine(e.getMessage()));
        attrs.put("outcome", e.isBusy() ? "busy" : "failed");
        publishSeed(phase, guest, dev, attrs);
        return failure(e.getMessage());
      }
    }

    void publishSeed(HotplugPhase phase, OptionalInt guest, Optional<String> dev,
        Map<String, String> attrs) {
      if (phase == HotplugPhase.ADD || phase == HotplugPhase.REMOVE) {
        publish(xs, phase == HotplugPhase.ADD ? Operation.ADD : Operation.REMOVE,
            ResourceType.VDISK, guest, dev, "hotplug " + phase.argument(), attrs);
      }
    }
  }

  /** Stops the handler threads; a call still running is abandoned. */
  @Override
  public void close() {
    calls.shutdownNow();
  }
}
