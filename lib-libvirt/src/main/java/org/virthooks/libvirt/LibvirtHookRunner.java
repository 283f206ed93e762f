package org.virthooks.libvirt;

import com.google.common.collect.ImmutableMap;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventMeta;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookFailure;
import org.virthooks.core.hook.HookOutcome;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.relay.RelayHandler;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.libvirt.internal.HookXml;

/**
 * Answers libvirt hook-script calls with the hooks of a {@link HookRegistry}: the call comes in
 * as data (argv with the script's path first, environment, stdin: a {@link ScriptInvocation}),
 * the answer goes out as exit code, stdout and stderr. The same runner serves a fresh JVM per
 * call ({@link LibvirtHookMain}) and, as a {@link RelayHandler}, a
 * {@link org.virthooks.core.relay.RelayServer} in a long-running JVM.
 *
 * <p>libvirt's contract, kept here:
 * <ul>
 *   <li>argv is {@code script object operation sub-operation extra}, {@code -} for absent; the
 *       driver is the script's name or its {@code <driver>.d} directory's. The point for each
 *       operation is in {@link LibvirtHookPoints}.
 *   <li>Guest hooks get the domain XML on stdin, network hooks {@code <hookData>}: read once
 *       with Jakarta XML Binding into {@link LibvirtHookContext}, passed on raw as the call's
 *       document. A malformed document does not block anything: the hooks get the raw text
 *       and {@link LibvirtHookContext#parseError()}. A document that cannot be taken whole
 *       (over {@link DocumentLimit}, standard input not ended within the deadline, unreadable)
 *       is refused at before and filter points without asking any hook, since nobody can have
 *       looked at it; at after points the hooks run without it and the answer is 0 with a
 *       warning.
 *   <li>Exit 0 lets libvirt go on. A refusal at a before or filter point exits 1 with the
 *       message as one line on stderr, which libvirt shows to whoever asked
 *       ({@code virsh start} prints it). At a filter point a rewritten document is printed on
 *       stdout. After-points always exit 0 (their failures go to stderr as warnings), and so do
 *       operations this version does not know: they reach hooks at the {@code other} points.
 *       stopped and release also come after a start that never happened (a refused prepare):
 *       hooks must tolerate that.
 *   <li>Every hook runs under its deadline ({@link HookRegistry}; 10 s unless registered
 *       otherwise): an overrun refuses at before and filter points with a message naming the hook
 *       and the deadline, so libvirtd gets its answer in time.
 *   <li>No child process keeps libvirt's pipes: in a fresh JVM the process halts when the call
 *       is answered (abandoned hook threads included), through the relay the small client exits
 *       as soon as the answer arrives; hooks that run programs should use lib-core's
 *       {@code ScriptRunner}, which kills what those programs leave behind.
 *   <li>Every call is also published to the sink as an event: guest calls as
 *       {@link DomainEvent}s (prepare → PREPARING, start → STARTING, started → STARTED, stopped
 *       → STOPPED, release → RELEASED, migrate → MIGRATING, restore → RESTORING, reconnect →
 *       RECONNECTED), network calls as {@link ResourceEvent}s of the network or its port,
 *       daemon calls as {@link SourceEvent}s; the verdict is in the attributes.
 * </ul>
 * Thread-safe: a relay server calls it from several threads at once.
 */
public final class LibvirtHookRunner implements RelayHandler {
  /** Exit status for a call that is not a hook call at all (no operation argument). */
  public static final int USAGE = 2;

  private final HookRegistry registry;
  private final EventSink sink;
  private final EventStamper stamper;

  private LibvirtHookRunner(HookRegistry registry, EventSink sink, String instance) {
    this.registry = registry;
    this.sink = sink;
    this.stamper = new EventStamper(SourceId.of(LibvirtEventSource.ADAPTER, instance));
  }

  /** A runner calling the hooks of {@code registry}, publishing nowhere. */
  public static LibvirtHookRunner of(HookRegistry registry) {
    return new LibvirtHookRunner(registry, e -> { }, "hooks");
  }

  /** A runner calling the hooks of {@code registry} and publishing each call to {@code sink}. */
  public static LibvirtHookRunner of(HookRegistry registry, EventSink sink) {
    return new LibvirtHookRunner(registry, sink, "hooks");
  }

  /** The registry. */
  public HookRegistry registry() {
    return registry;
  }

  @Override
  public ScriptResult handle(ScriptInvocation call) {
    return run(call);
  }

  /** A domain XML of the shape libvirt sends, for warming up. */
  static final String SAMPLE_DOMAIN = "<domain type='kvm' id='1'><name>warm-up</name>"
      + "<uuid>00000000-0000-4000-8000-000000000001</uuid><memory unit='KiB'>1024</memory>"
      + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
      + "<disk type='file' device='disk'><source file='/x'/><target dev='vda' bus='virtio'/></disk>"
      + "<interface type='network'><mac address='52:54:00:00:00:01'/>"
      + "<source network='default'/><model type='virtio'/></interface></devices></domain>";
  /** A network hook's document, for warming up. */
  static final String SAMPLE_NETWORK = "<hookData><network><name>default</name>"
      + "<bridge name='virbr0'/></network><networkport>"
      + "<uuid>00000000-0000-4000-8000-000000000002</uuid></networkport></hookData>";

  /**
   * Parses sample calls {@code rounds} times without running any hook, so that a long-running
   * JVM (a relay server) answers its first real calls with compiled code rather than the
   * interpreter: the XML binding is the bulk of a call. Returns this runner.
   */
  public LibvirtHookRunner warmUp(int rounds) {
    ScriptInvocation dom = new ScriptInvocation(List.of("/etc/libvirt/hooks/qemu", "warm-up",
        "start", "begin", "-"), Map.of(), SAMPLE_DOMAIN.getBytes(StandardCharsets.UTF_8));
    ScriptInvocation net = new ScriptInvocation(List.of("/etc/libvirt/hooks/network", "default",
        "port-created", "begin", "-"), Map.of(), SAMPLE_NETWORK.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < rounds; i++) {
      parse(dom);
      if (i % 8 == 0) {
        parse(net);
      }
    }
    return this;
  }

  /** Parses the call into a {@link HookCall} without running anything. */
  public HookCall parse(ScriptInvocation inv) {
    return parseCall(inv, stamper.source());
  }

  /** Answers one call; never throws for what the call or the hooks do. */
  public ScriptResult run(ScriptInvocation inv) {
    if (inv.argv().size() < 3) {
      return usage(inv.argv());
    }
    return answer(inv.argv(), Stdin.of(inv));
  }

  /**
   * A call's standard input as the runner takes it: its text, or why there is none to take
   * (over the size limit, not ended in time, unreadable).
   *
   * @param text the document as text, null when there is a problem
   * @param problem one sentence without a verdict, null when the input was taken whole
   */
  record Stdin(String text, String problem) {
    /** The input of {@code inv}; over the limit it is not even decoded. */
    static Stdin of(ScriptInvocation inv) {
      // the bytes live in this frame only: garbage as soon as the text exists
      byte[] b = inv.stdin();
      return of(b);
    }

    /** {@code bytes} as text, unless there are more than {@link DocumentLimit#MAX_BYTES}. */
    static Stdin of(byte[] bytes) {
      if (DocumentLimit.isOver(bytes.length)) {
        return failed(DocumentLimit.overLimit(bytes.length));
      }
      return new Stdin(new String(bytes, StandardCharsets.UTF_8), null);
    }

    /** Input read whole as {@code text}. */
    static Stdin text(String text) {
      return new Stdin(text, null);
    }

    /** No input to take, because of {@code problem}. */
    static Stdin failed(String problem) {
      return new Stdin(null, problem);
    }
  }

  /**
   * Answers a call whose standard input the caller read. One whose input could not be taken
   * whole ({@link Stdin#problem()}: over the limit, not ended in time, unreadable) is refused at
   * before and filter points without running any hook: libvirt waits for a verdict on a document
   * nobody has seen. At after points the hooks run without the document (the problem is their
   * parse error) and the answer is 0 with a warning.
   */
  ScriptResult answer(List<String> argv, Stdin stdin) {
    if (argv.size() < 3) {
      return usage(argv);
    }
    Parsed parsed = parseCall(argv, stdin, stamper.source());
    HookCall call = parsed.call();
    boolean after = call.point().phase() == HookPhase.AFTER;
    if (parsed.inputProblem() != null && !after) {
      String msg = "virthooks: " + parsed.inputProblem() + "; refusing";
      publish(call, null, msg);
      return ScriptResult.failed(1, msg + "\n");
    }
    HookOutcome outcome;
    try {
      outcome = registry.invoke(call);
    } catch (RuntimeException e) {
      // a closed registry: say so; libvirt gets a refusal only where it can take one
      String msg = "virthooks: hooks unavailable: " + e.getMessage();
      publish(call, null, msg);
      return after ? new ScriptResult(0, "", msg + "\n", false)
          : ScriptResult.failed(1, msg + "\n");
    }
    publish(call, outcome, null);
    StringBuilder warnings = new StringBuilder();
    if (after) {
      if (parsed.inputProblem() != null) {
        warnings.append("virthooks: warning: ").append(parsed.inputProblem())
            .append("; the hooks ran without the document\n");
      }
      for (HookFailure f : outcome.failures()) {
        warnings.append("virthooks: warning: ").append(oneLine(f.message())).append('\n');
      }
      return new ScriptResult(0, "", warnings.toString(), false);
    }
    if (!outcome.proceeds()) {
      return ScriptResult.failed(1, oneLine(outcome.refusal().orElse("refused")) + "\n");
    }
    return ScriptResult.ok(outcome.rewritten().orElse(""));
  }

  private static ScriptResult usage(List<String> argv) {
    return ScriptResult.failed(USAGE, "virthooks: a libvirt hook call needs the arguments "
        + "'object operation sub-operation extra' after the script path; got " + argv + "\n");
  }

  /**
   * The point of a call, from its arguments alone (the script's driver and the operation): known
   * before standard input is read, whatever becomes of that.
   */
  static HookPoint pointOf(List<String> argv) {
    return HookDriver.ofScript(argv.get(0))
        .map(d -> LibvirtHookPoints.of(d, arg(argv, 2)))
        .orElse(LibvirtHookPoints.UNKNOWN_OTHER);
  }

  static String arg(List<String> argv, int i) {
    return i < argv.size() && !argv.get(i).isEmpty() ? argv.get(i) : "-";
  }

  static HookCall parseCall(ScriptInvocation inv, SourceId source) {
    return parseCall(inv.argv(), Stdin.of(inv), source).call();
  }

  /**
   * A call and what kept its document from being taken whole, if anything: the input's own
   * problem, or the XML reader's refusal of a document over the size limit.
   */
  record Parsed(HookCall call, String inputProblem) {}

  static Parsed parseCall(List<String> argv, Stdin stdin, SourceId source) {
    String script = argv.get(0);
    String object = arg(argv, 1);
    String op = arg(argv, 2);
    String sub = arg(argv, 3);
    String extra = arg(argv, 4);
    Optional<HookDriver> driver = HookDriver.ofScript(script);
    HookPoint point = pointOf(argv);
    String document = stdin.text() == null || stdin.text().isBlank() ? null : stdin.text();
    Optional<DomainDescription> dom = Optional.empty();
    Optional<NetworkHookData> net = Optional.empty();
    String problem = stdin.problem();
    String parseError = problem;
    if (problem == null && document != null && driver.isPresent()) {
      try {
        if (driver.get().isDomain()) {
          dom = Optional.of(HookXml.domain(document));
        } else if (driver.get() == HookDriver.NETWORK) {
          net = Optional.of(HookXml.network(document));
        }
      } catch (HookXml.BadXml e) {
        parseError = e.getMessage();
        if (e.tooLarge()) {
          // not "unreadable, let the hooks decide": nobody can have looked at it
          problem = e.getMessage();
          document = null;
        }
      }
    } else if (problem == null && document == null && driver.isPresent()
        && driver.get() != HookDriver.DAEMON) {
      parseError = "no document on stdin";
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("driver", driver.map(HookDriver::scriptName).orElse("unknown"));
    attrs.put("script", script);
    attrs.put("object", object);
    attrs.put("operation", op);
    attrs.put("subOperation", sub);
    attrs.put("extra", extra);
    if (parseError != null) {
      attrs.put("parseError", parseError);
    }
    LibvirtHookContext ctx = new LibvirtHookContext(driver, script, object, op, sub, extra, dom,
        net, Optional.ofNullable(parseError));
    HookCall call = new HookCall(point, source, op + " " + sub + " " + extra, Optional.empty(),
        Optional.ofNullable(document), ImmutableMap.copyOf(attrs), Optional.of(ctx));
    if (driver.isPresent() && driver.get().isDomain() && !object.equals("-")) {
      DomainRef ref = DomainRef.of(object);
      if (dom.isPresent()) {
        DomainDescription d = dom.get();
        if (d.uuid().isPresent()) {
          ref = ref.withUuid(d.uuid().get());
        }
        if (d.id().isPresent()) {
          ref = ref.withId(d.id().getAsInt());
        }
      }
      call = call.withDomain(ref);
    }
    return new Parsed(call, problem);
  }

  private void publish(HookCall call, HookOutcome outcome, String error) {
    try {
      Map<String, String> a = new LinkedHashMap<>(call.attributes());
      a.put("point", call.point().toString());
      if (outcome != null) {
        a.put("verdict", !outcome.proceeds() ? "refused"
            : outcome.rewritten().isPresent() ? "rewritten" : "proceed");
        outcome.refusal().ifPresent(r -> a.put("refusal", oneLine(r)));
        outcome.decidedBy().ifPresent(h -> a.put("decidedBy", h));
        if (!outcome.failures().isEmpty()) {
          a.put("failures", Integer.toString(outcome.failures().size()));
        }
        a.put("hooks", String.join(",", outcome.ran()));
      } else {
        a.put("verdict", "error");
        a.put("error", error);
      }
      EventMeta meta = stamper.next(call.action(), a);
      sink.publish(event(call, meta));
    } catch (RuntimeException e) {
      // publishing observes; it never changes libvirt's answer
    }
  }

  static VirtEvent event(HookCall call, EventMeta meta) {
    String op = call.point().operation();
    switch (call.point().object()) {
      case "domain" -> {
        DomainEvent.Kind kind = switch (op) {
          case "prepare" -> DomainEvent.Kind.PREPARING;
          case "start" -> DomainEvent.Kind.STARTING;
          case "started" -> DomainEvent.Kind.STARTED;
          case "stopped" -> DomainEvent.Kind.STOPPED;
          case "release" -> DomainEvent.Kind.RELEASED;
          case "migrate" -> DomainEvent.Kind.MIGRATING;
          case "restore" -> DomainEvent.Kind.RESTORING;
          case "reconnect" -> DomainEvent.Kind.RECONNECTED;
          default -> DomainEvent.Kind.OTHER;
        };
        DomainRef d = call.domain().orElse(DomainRef.of(call.attribute("object").orElse("-")));
        String extra = call.attribute("extra").orElse("-");
        return DomainEvent.of(meta, d, kind, extra.equals("-") ? null : extra);
      }
      case "network" -> {
        String rawOp = call.attribute("operation").orElse(op);
        Operation o = switch (rawOp) {
          case "start", "started" -> Operation.START;
          case "stopped" -> Operation.STOP;
          case "port-created", "plugged" -> Operation.ADD;
          case "port-deleted", "unplugged" -> Operation.REMOVE;
          case "updated" -> Operation.SET;
          default -> Operation.OTHER;
        };
        boolean port = op.startsWith("port-");
        return new ResourceEvent(meta, Optional.empty(), o,
            port ? ResourceType.NETWORK_PORT : ResourceType.NETWORK,
            Optional.of(call.attribute("object").orElse("-")), Optional.empty());
      }
      case "daemon" -> {
        SourceEvent.Kind k = switch (op) {
          case "start" -> SourceEvent.Kind.STARTED;
          case "shutdown" -> SourceEvent.Kind.STOPPED;
          case "reload" -> SourceEvent.Kind.RELOADED;
          default -> SourceEvent.Kind.OTHER;
        };
        return SourceEvent.of(meta, k, "libvirtd " + call.action());
      }
      default -> {
        return new OtherEvent(meta, call.domain());
      }
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
