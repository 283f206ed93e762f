package org.virthooks.core;

import org.virthooks.core.internal.Checks;

/**
 * Where an event came from: the adapter ({@code ldm}, {@code libvirt}, {@code xen}, or a user's
 * own) and the instance it watches (a host and port, a libvirt URI, a xenstore socket).
 *
 * @param adapter short adapter name, never blank
 * @param instance the host, URI or path the adapter is attached to, never blank
 */
public record SourceId(String adapter, String instance) {
  /** Validates both fields. */
  public SourceId {
    Checks.notBlank("adapter", adapter);
    Checks.notBlank("instance", instance);
  }

  /** Shorthand for the canonical constructor. */
  public static SourceId of(String adapter, String instance) {
    return new SourceId(adapter, instance);
  }

  /** {@code adapter:instance}, the form used in JSON and logs. */
  @Override
  public String toString() {
    return adapter + ":" + instance;
  }
}
