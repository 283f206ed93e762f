package org.virthooks.core.hook;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import org.virthooks.core.internal.Checks;

/**
 * What the hooks at a point decided, and what went wrong on the way.
 *
 * @param point where the hooks ran
 * @param verdict the result: proceed, refuse (with the winning message), or rewrite (the final
 *     document of a filter chain that changed it)
 * @param decidedBy the hook whose refusal won, when refused
 * @param ran the names of the hooks that were called, in order
 * @param failures what hooks threw, refused at after points, or overran; never fatal by itself
 */
public record HookOutcome(
    HookPoint point, Verdict verdict, Optional<String> decidedBy, List<String> ran,
    List<HookFailure> failures) {

  /** Validates and freezes the fields. */
  public HookOutcome {
    Checks.notNull("point", point);
    Checks.notNull("verdict", verdict);
    decidedBy = decidedBy == null ? Optional.empty() : decidedBy;
    ran = ImmutableList.copyOf(ran);
    failures = ImmutableList.copyOf(failures);
  }

  /** True unless refused. */
  public boolean proceeds() {
    return !(verdict instanceof Verdict.Refuse);
  }

  /** The refusal message, when refused. */
  public Optional<String> refusal() {
    return verdict instanceof Verdict.Refuse r ? Optional.of(r.message()) : Optional.empty();
  }

  /** The rewritten document, when a filter chain changed it. */
  public Optional<String> rewritten() {
    return verdict instanceof Verdict.Rewrite r ? Optional.of(r.document()) : Optional.empty();
  }
}
