package org.virthooks.core.hook;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Optional;
import org.virthooks.core.DomainRef;
import org.virthooks.core.SourceId;
import org.virthooks.core.internal.Checks;

/**
 * One call of the hooks at a point: what the daemon is about to do or has done, and everything it
 * handed over. Immutable; a filter chain passes each hook a copy {@link #withDocument} the
 * previous hook's output.
 *
 * @param point where
 * @param source which adapter and host made the call
 * @param action the daemon's raw words for it ({@code start begin -}, {@code add})
 * @param domain the domain, when the call is about one
 * @param document the document handed over (domain XML, network XML), when there is one
 * @param attributes further facts (argv extra, environment, xenstore keys), never null
 * @param context the adapter's own typed view of the call (a parsed domain XML, a hotplug
 *     request), read with {@link #context(Class)}
 */
public record HookCall(
    HookPoint point,
    SourceId source,
    String action,
    Optional<DomainRef> domain,
    Optional<String> document,
    Map<String, String> attributes,
    Optional<Object> context) {

  /** Validates the fields and freezes the attributes. */
  public HookCall {
    Checks.notNull("point", point);
    Checks.notNull("source", source);
    Checks.notBlank("action", action);
    domain = domain == null ? Optional.empty() : domain;
    document = document == null ? Optional.empty() : document;
    attributes = attributes == null ? ImmutableMap.of() : ImmutableMap.copyOf(attributes);
    context = context == null ? Optional.empty() : context;
  }

  /** A call with only a point, a source and an action; add the rest with the {@code with} methods. */
  public static HookCall of(HookPoint point, SourceId source, String action) {
    return new HookCall(point, source, action, Optional.empty(), Optional.empty(), ImmutableMap.of(),
        Optional.empty());
  }

  /** A copy about {@code d}. */
  public HookCall withDomain(DomainRef d) {
    return new HookCall(point, source, action, Optional.ofNullable(d), document, attributes, context);
  }

  /** A copy carrying {@code doc}. */
  public HookCall withDocument(String doc) {
    return new HookCall(point, source, action, domain, Optional.ofNullable(doc), attributes, context);
  }

  /** A copy with these attributes instead. */
  public HookCall withAttributes(Map<String, String> attrs) {
    return new HookCall(point, source, action, domain, document, attrs, context);
  }

  /** A copy carrying the adapter's typed view. */
  public HookCall withContext(Object ctx) {
    return new HookCall(point, source, action, domain, document, attributes, Optional.ofNullable(ctx));
  }

  /** The adapter's typed view when it is a {@code type}. */
  public <T> Optional<T> context(Class<T> type) {
    return context.filter(type::isInstance).map(type::cast);
  }

  /** The attribute {@code key}, when present. */
  public Optional<String> attribute(String key) {
    return Optional.ofNullable(attributes.get(key));
  }
}
