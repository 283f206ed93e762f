package org.virthooks.core.hook;

import java.util.regex.Pattern;
import org.virthooks.core.internal.Checks;

/**
 * A place where hooks are called: a name of the form {@code object.operation}
 * ({@code domain.start}, {@code network.started}, {@code block.add}) and a {@link HookPhase}.
 * Adapters define their points as constants; two points are equal when name and phase are.
 *
 * @param name {@code object.operation}, lower case letters, digits, '-' and '_' on each side
 * @param phase before, after or filter
 */
public record HookPoint(String name, HookPhase phase) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+\\.[a-z0-9_-]+");

  /** Validates the name's form. */
  public HookPoint {
    Checks.notBlank("hook point name", name);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "hook point name must look like 'object.operation' in lower case: '" + name + "'");
    }
    Checks.notNull("phase", phase);
  }

  /** A before-point. */
  public static HookPoint before(String name) {
    return new HookPoint(name, HookPhase.BEFORE);
  }

  /** An after-point. */
  public static HookPoint after(String name) {
    return new HookPoint(name, HookPhase.AFTER);
  }

  /** A filter point. */
  public static HookPoint filter(String name) {
    return new HookPoint(name, HookPhase.FILTER);
  }

  /** The part before the dot: {@code domain} of {@code domain.start}. */
  public String object() {
    return name.substring(0, name.indexOf('.'));
  }

  /** The part after the dot: {@code start} of {@code domain.start}. */
  public String operation() {
    return name.substring(name.indexOf('.') + 1);
  }

  /** {@code before:domain.start}. */
  @Override
  public String toString() {
    return phase.jsonName() + ":" + name;
  }
}
