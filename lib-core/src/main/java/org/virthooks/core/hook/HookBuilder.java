package org.virthooks.core.hook;

import java.time.Duration;
import org.virthooks.core.internal.Checks;

/** Configures one hook's registration: name, priority, deadline. Finish with {@link #register}. */
public final class HookBuilder {
  private final HookRegistry registry;
  private final HookPoint point;
  private String name;
  private int priority;
  private Duration deadline;

  HookBuilder(HookRegistry registry, HookPoint point) {
    this.registry = registry;
    this.point = point;
  }

  /** The hook's name, unique at its point; shown in refusals and failure reports. Required. */
  public HookBuilder name(String hookName) {
    this.name = Checks.notBlank("hook name", hookName);
    return this;
  }

  /** Lower runs first; ties are broken by name. Default 0. */
  public HookBuilder priority(int hookPriority) {
    this.priority = hookPriority;
    return this;
  }

  /** How long the hook may take; default the registry's. */
  public HookBuilder deadline(Duration hookDeadline) {
    this.deadline = HookRegistry.checkDeadline(hookDeadline);
    return this;
  }

  /** Registers the hook. */
  public HookRegistration register(Hook hook) {
    if (name == null) {
      throw new IllegalArgumentException("hook name must be set before register() at " + point);
    }
    return registry.add(point, name, priority, deadline, hook);
  }
}
