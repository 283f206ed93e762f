package org.virthooks.libvirt;

import org.virthooks.core.EventDispatcher;
import org.virthooks.core.hook.HookRegistry;

/**
 * Supplies hooks for libvirt's hook scripts when they run in a fresh JVM per call
 * ({@link LibvirtHookMain}, {@code virthooks libvirt hook}): found with
 * {@link java.util.ServiceLoader}, so list the implementation in
 * {@code META-INF/services/org.virthooks.libvirt.LibvirtHookProvider}.
 *
 * <p>Register at the points of {@link LibvirtHookPoints}. Hooks read everything from the call
 * (the domain or network, the raw XML, {@code call.context(LibvirtHookContext.class)}) and
 * <b>must never call back into libvirt</b>: libvirtd waits for the hook and a call back
 * deadlocks it.
 */
public interface LibvirtHookProvider {
  /** Registers this provider's hooks. */
  void register(HookRegistry hooks);

  /** Subscribes listeners to the events the calls are published as; none by default. */
  default void listen(EventDispatcher events) {}
}
