package org.virthooks.xen.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookFailure;
import org.virthooks.core.hook.HookOutcome;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.xen.BlockDevices;
import org.virthooks.xen.XenstoreClient;
import org.virthooks.xen.XenstoreException;

/**
 * One hotplug script call as both protocols see it: the connection to xenstore, the call's
 * words, the hooks with what is left of the budget, and publishing. Not thread-safe: one call.
 */
public final class XenCall {
  /** What a call is served with: the runner's settings. */
  public record Settings(HookRegistry registry, EventSink sink, EventStamper stamper,
      Duration budget, Clock clock, Set<String> keptEnvironment) {}

  private final Settings settings;
  private final XenstoreClient xs;
  private final Map<String, String> env;
  private final List<String> argv;
  private final Instant deadline;

  /** A call whose budget ends at {@code deadline}; argv has the operation at index 1. */
  public XenCall(Settings settings, XenstoreClient xs, Map<String, String> env, List<String> argv,
      Instant deadline) {
    this.settings = settings;
    this.xs = xs;
    this.env = env;
    this.argv = argv;
    this.deadline = deadline;
  }

  /** xenstore, for the protocol's own reads and writes. */
  public XenstoreClient xs() {
    return xs;
  }

  /** The environment the call came with. */
  public Map<String, String> env() {
    return env;
  }

  /** argv, the script's path first. */
  public List<String> argv() {
    return argv;
  }

  /** The operation: {@code add}, {@code online}, {@code prepare}... */
  public String op() {
    return argv.get(1);
  }

  /** True when some hook is registered at {@code point}. */
  public boolean hasHooks(HookPoint point) {
    return settings.registry().hasHooks(point);
  }

  /** The environment variables that matter, as handlers get them. */
  public Map<String, String> keptEnv() {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (settings.keptEnvironment().contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The keys directly under {@code path} with their values; empty when it does not exist. */
  public Map<String, String> readDir(String path) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : listOrEmpty(path)) {
      xs.tryRead(path + "/" + n).ifPresent(v -> out.put(n, v));
    }
    return out;
  }

  /** The names under {@code path}; empty when it does not exist. */
  public List<String> listOrEmpty(String path) throws IOException {
    try {
      return xs.directory(path);
    } catch (XenstoreException e) {
      if (e.isNotFound()) {
        return List.of();
      }
      throw e;
    }
  }

  /**
   * The guest {@code domid}, named as xenstore names it ({@code domain-<id>} when it does not):
   * read once, before the hooks, which must not call back into xenstore themselves.
   */
  public Optional<DomainRef> domain(OptionalInt domid) throws IOException {
    if (domid.isEmpty()) {
      return Optional.empty();
    }
    int id = domid.getAsInt();
    String name = xs.tryRead("/local/domain/" + id + "/name").filter(n -> !n.isBlank())
        .orElse("domain-" + id);
    return Optional.of(DomainRef.of(name).withId(id));
  }

  /**
   * What the hooks of one point answered, in the terms a hotplug script reports: the document
   * (a filter's final one), or the message for {@code hotplug-error} and whether it is "busy".
   *
   * @param document the final document, or the one handed in when no hook changed it
   * @param failure the message, null when the point went through
   * @param busy true when the failure is a {@link HotplugException#busy} of a handler
   */
  public record Answer(Optional<String> document, String failure, boolean busy) {
    /** The document, or the failure thrown as a {@link HotplugException}. */
    public Optional<String> orThrow() throws HotplugException {
      if (failure == null) {
        return document;
      }
      throw busy ? HotplugException.busy(failure) : new HotplugException(failure);
    }
  }

  /**
   * Runs the hooks at {@code point} with what is left of the budget. At before and filter points
   * a refusal fails; at after points every hook runs and any failure fails, all of them named. A failure's
   * message is the handler's own when it threw a {@link HotplugException} (libxl shows it as the
   * reason), the registry's otherwise (it names the hook: a deadline, an unexpected exception).
   */
  public Answer invoke(HookPoint point, Optional<DomainRef> domain, Map<String, String> attributes,
      Object context, String document) {
    Duration left = Duration.between(settings.clock().instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return new Answer(Optional.empty(), "no time left in the "
          + human(settings.budget()) + " budget at " + point, false);
    }
    HookCall call = new HookCall(point, settings.stamper().source(), String.join(" ",
        argv.subList(1, argv.size())), domain, Optional.ofNullable(document), attributes,
        Optional.ofNullable(context));
    HookOutcome o;
    try {
      o = settings.registry().invoke(call, left);
    } catch (IllegalStateException closed) {
      return new Answer(Optional.empty(), "hooks unavailable: " + closed.getMessage(), false);
    }
    Optional<String> doc = o.rewritten().or(() -> Optional.ofNullable(document));
    if (point.phase() == HookPhase.AFTER) {
      // every hook ran: libxl's log gets every failure, not only the first
      return o.failures().isEmpty() ? new Answer(doc, null, false)
          : joined(o.failures().stream().map(XenCall::failed).toList());
    }
    if (o.proceeds()) {
      return new Answer(doc, null, false);
    }
    String refusal = o.refusal().orElse("refused");
    for (HookFailure f : o.failures()) {
      if (o.decidedBy().equals(Optional.of(f.hook())) && f.message().equals(refusal)) {
        return failed(f);
      }
    }
    return new Answer(Optional.empty(), refusal, false);
  }

  /** One answer for several: the failures' messages joined, busy when one of them is. */
  public static Answer joined(List<Answer> answers) {
    List<Answer> failed = answers.stream().filter(a -> a.failure() != null).toList();
    if (failed.isEmpty()) {
      return answers.isEmpty() ? new Answer(Optional.empty(), null, false) : answers.get(0);
    }
    return new Answer(Optional.empty(), String.join("; ",
        failed.stream().map(Answer::failure).toList()), failed.stream().anyMatch(Answer::busy));
  }

  private static Answer failed(HookFailure f) {
    Optional<HotplugException> h = f.error().filter(HotplugException.class::isInstance)
        .map(HotplugException.class::cast).filter(e -> e.getMessage() != null);
    return new Answer(Optional.empty(), h.map(Throwable::getMessage).orElse(f.message()),
        h.map(HotplugException::isBusy).orElse(false));
  }

  /** The attributes of a hook call: the kept environment and the backend's keys, prefixed. */
  public Map<String, String> attributes(Map<String, String> backend) {
    Map<String, String> a = new LinkedHashMap<>();
    keptEnv().forEach((k, v) -> a.put("env." + k, v));
    backend.forEach((k, v) -> a.put("backend." + k, v));
    return a;
  }

  /**
   * The block device at the path a filter chain ended with, its numbers read from the node.
   *
   * @throws HotplugException when there is none, or it is no absolute path to a block device
   */
  public static BlockDevice device(Optional<String> path, HookPoint point)
      throws HotplugException {
    String p = path.filter(s -> !s.isBlank()).orElseThrow(() -> new HotplugException(
        "no hook supplied a block device at " + point));
    Path dev;
    try {
      dev = Path.of(p.strip());
    } catch (InvalidPathException e) {
      throw new HotplugException("the device answered at " + point + " is not a path: " + p);
    }
    if (!dev.isAbsolute()) {
      throw new HotplugException("the device answered at " + point + " is not an absolute path: "
          + p);
    }
    return BlockDevices.inspect(dev);
  }

  /** Publishes a resource event; publishing observes, it never changes the answer. */
  public void publish(Operation op, ResourceType type, Optional<DomainRef> domain,
      Optional<String> devid, String action, Map<String, String> attrs) {
    try {
      settings.sink().publish(new ResourceEvent(settings.stamper().next(action, attrs), domain, op,
          type, devid, Optional.empty()));
    } catch (RuntimeException e) {
      // the toolstack's answer does not depend on who listens
    }
  }

  /** {@code s} on one line, as xenstore's {@code hotplug-error} wants it. */
  public static String oneLine(String s) {
    return s == null ? "failed" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** A number of at most nine digits, empty for anything else. */
  public static OptionalInt parseInt(String s) {
    if (s == null || !s.matches("[0-9]{1,9}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(s));
  }

  /** {@code w}, {@code r} or {@code !} as the stock script's canonicalise_mode. */
  public static String canonicalMode(String mode) {
    String m = mode == null ? "w" : mode.toLowerCase(Locale.ROOT);
    if (m.contains("!")) {
      return "!";
    }
    return m.startsWith("r") ? "r" : "w";
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
