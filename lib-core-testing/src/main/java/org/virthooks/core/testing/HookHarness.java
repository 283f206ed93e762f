package org.virthooks.core.testing;

import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.virthooks.core.DomainRef;
import org.virthooks.core.SourceId;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookOutcome;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;

/**
 * Calls the hooks of a {@link HookRegistry} the way an adapter would, with no hypervisor, and
 * checks their verdicts. Adapters add harnesses that build calls from a daemon's argv and stdin
 * on top of this one.
 *
 * <pre>{@code
 * try (HookHarness h = HookHarness.create()) {
 *   h.registry().register(HookPoint.before("domain.start"), "budget", new MemoryBudget(4096));
 *   h.call(HookPoint.before("domain.start")).domain("big").document(xml).invoke()
 *       .assertRefused("over budget");
 * }
 * }</pre>
 */
public final class HookHarness implements AutoCloseable {
  private final HookRegistry registry;
  private final boolean owned;
  private SourceId source = SourceId.of("test", "harness");

  private HookHarness(HookRegistry registry, boolean owned) {
    this.registry = registry;
    this.owned = owned;
  }

  /** A harness with a registry of its own, closed with the harness. */
  public static HookHarness create() {
    return new HookHarness(HookRegistry.create(), true);
  }

  /** A harness over an existing registry, which stays open when the harness closes. */
  public static HookHarness of(HookRegistry registry) {
    return new HookHarness(registry, false);
  }

  /** The registry to register hooks in. */
  public HookRegistry registry() {
    return registry;
  }

  /** The source the calls claim to come from; {@code test:harness} by default. */
  public HookHarness source(SourceId s) {
    this.source = s;
    return this;
  }

  /** Starts building a call at {@code point}. */
  public Call call(HookPoint point) {
    return new Call(point);
  }

  @Override
  public void close() {
    if (owned) {
      registry.close();
    }
  }

  /** A hook call being built. */
  public final class Call {
    private final HookPoint point;
    private String action;
    private DomainRef domain;
    private String document;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private Object context;

    private Call(HookPoint point) {
      this.point = point;
      this.action = point.operation() + " " + (point.phase().jsonName());
    }

    /** The raw action; by default {@code operation phase}. */
    public Call action(String raw) {
      this.action = raw;
      return this;
    }

    /** The domain, by name. */
    public Call domain(String name) {
      this.domain = DomainRef.of(name);
      return this;
    }

    /** The domain. */
    public Call domain(DomainRef ref) {
      this.domain = ref;
      return this;
    }

    /** The document handed over. */
    public Call document(String doc) {
      this.document = doc;
      return this;
    }

    /** An attribute. */
    public Call attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    /** The adapter's typed view. */
    public Call context(Object ctx) {
      this.context = ctx;
      return this;
    }

    /** The call as built. */
    public HookCall build() {
      return new HookCall(point, source, action, Optional.ofNullable(domain),
          Optional.ofNullable(document), ImmutableMap.copyOf(attributes), Optional.ofNullable(context));
    }

    /** Runs the hooks and returns the outcome, wrapped for assertions. */
    public OutcomeAssert invoke() {
      return new OutcomeAssert(registry.invoke(build()));
    }
  }

  /** Assertions on a {@link HookOutcome}; each returns this for chaining. */
  public static final class OutcomeAssert {
    private final HookOutcome outcome;

    /** Wraps {@code outcome}. */
    public OutcomeAssert(HookOutcome outcome) {
      this.outcome = outcome;
    }

    /** The outcome itself. */
    public HookOutcome outcome() {
      return outcome;
    }

    /** The hooks went on, unchanged or rewritten. */
    public OutcomeAssert assertProceeds() {
      if (!outcome.proceeds()) {
        throw new AssertionError("expected " + outcome.point() + " to proceed but hook '"
            + outcome.decidedBy().orElse("?") + "' refused: " + outcome.refusal().orElse(""));
      }
      return this;
    }

    /** A hook refused with a message containing {@code fragment}. */
    public OutcomeAssert assertRefused(String fragment) {
      String msg = outcome.refusal().orElseThrow(() ->
          new AssertionError("expected " + outcome.point() + " to be refused but it proceeded"
              + " (hooks ran: " + outcome.ran() + ")"));
      if (!msg.contains(fragment)) {
        throw new AssertionError("refusal message '" + msg + "' does not contain '" + fragment + "'");
      }
      return this;
    }

    /** The hook named {@code hook} decided the refusal. */
    public OutcomeAssert assertDecidedBy(String hook) {
      if (!outcome.decidedBy().equals(Optional.of(hook))) {
        throw new AssertionError("expected hook '" + hook + "' to decide but "
            + outcome.decidedBy().map(h -> "'" + h + "' did").orElse("none did"));
      }
      return this;
    }

    /** A filter chain rewrote the document to exactly {@code expected}. */
    public OutcomeAssert assertRewrittenTo(String expected) {
      String doc = outcome.rewritten().orElseThrow(() ->
          new AssertionError("expected a rewritten document but the verdict was " + outcome.verdict()));
      if (!doc.equals(expected)) {
        throw new AssertionError("rewritten document differs:\nexpected: " + expected
            + "\nactual:   " + doc);
      }
      return this;
    }

    /** No hook failed. */
    public OutcomeAssert assertNoFailures() {
      if (!outcome.failures().isEmpty()) {
        throw new AssertionError("expected no hook failures but got " + outcome.failures());
      }
      return this;
    }
  }
}
