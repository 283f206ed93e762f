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
import org.virthooks.core.EventSource;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
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
 *       document. An unreadable document does not block anything: the hooks get the raw text
 *       and {@link LibvirtHookContext#parseError()}.
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
    this.stamper = new EventStamper(EventSource.of(LibvirtEventSource.ADAPTER, instance));
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
    List<String> argv = inv.argv();
    if (argv.size() < 3) {
      return ScriptResult.failed(USAGE, "virthooks: a libvirt hook call needs the arguments "
          + "'object operation sub-operation extra' after the script path; got " + argv + "\n");
    }
    HookCall call = parseCall(inv, stamper.source());
    HookOutcome outcome;
    try {
      outcome = registry.invoke(call);
    } catch (RuntimeException e) {
      // a closed registry: say so; libvirt gets a refusal only where it can take one
      String msg = "virthooks: hooks unavailable: " + e.getMessage();
      publish(call, null, msg);
      return call.point().phase() == HookPhase.AFTER ? new ScriptResult(0, "", msg + "\n", false)
          : ScriptResult.failed(1, msg + "\n");
    }
    publish(call, outcome, null);
    StringBuilder warnings = new StringBuilder();
    if (call.point().phase() == HookPhase.AFTER) {
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

  static String arg(List<String> argv, int i) {
    return i < argv.size() && !argv.get(i).isEmpty() ? argv.get(i) : "-";
  }

  static HookCall parseCall(ScriptInvocation inv, EventSource source) {
    List<String> argv = inv.argv();
    String script = argv.get(0);
    String object = arg(argv, 1);
    String op = arg(argv, 2);
    String sub = arg(argv, 3);
    String extra = arg(argv, 4);
    Optional<HookDriver> driver = HookDriver.ofScript(script);
    HookPoint point = driver.map(d -> LibvirtHookPoints.of(d, op))
        .orElse(LibvirtHookPoints.UNKNOWN_OTHER);
    String stdin = new String(inv.stdin(), StandardCharsets.UTF_8);
    String document = stdin.isBlank() ? null : stdin;
    Optional<DomainDescription> dom = Optional.empty();
    Optional<NetworkHookData> net = Optional.empty();
    String parseError = null;
    if (document != null && driver.isPresent()) {
      try {
        if (driver.get().isDomain()) {
          dom = Optional.of(HookXml.domain(document));
        } else if (driver.get() == HookDriver.NETWORK) {
          net = Optional.of(HookXml.network(document));
        }
      } catch (HookXml.BadXml e) {
        parseError = e.getMessage();
      }
    } else if (document == null && driver.isPresent() && driver.get() != HookDriver.DAEMON) {
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
    return call;
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
