/**
 * libvirt for virthooks: every domain and network event as a typed lib-core event, and
 * libvirt's hook scripts answered by Java hooks.
 *
 * <h2>Events</h2>
 * {@link org.virthooks.libvirt.LibvirtEventSource} registers every domain event ID (see
 * {@link org.virthooks.libvirt.DomainEventId} for what each becomes) and network lifecycle events
 * on one connection, publishes them into an {@code EventDispatcher}, reconnects when libvirtd
 * restarts and resynchronises afterwards. The JVM's single libvirt event loop is
 * {@link org.virthooks.libvirt.LibvirtEventLoop} (read it before using libvirt-java directly in
 * the same application). {@link org.virthooks.libvirt.RebootCoalescer} optionally merges the
 * stop-then-start of a reboot. The native library comes from Debian's {@code libvirt0}; without
 * it the source fails with a {@link org.virthooks.libvirt.LibvirtUnavailableException} naming it.
 *
 * <h2>Domains</h2>
 * {@code org.virthooks.libvirt.domain} is Sys::Virt::Domain as a typed API: look up, define,
 * query, control and tune guests, with lib-core's domain types.
 *
 * <h2>Hook scripts</h2>
 * {@link org.virthooks.libvirt.LibvirtHookRunner} turns a hook-script call (argv, stdin) into a
 * {@code HookCall} at one of {@link org.virthooks.libvirt.LibvirtHookPoints}, with the parsed
 * XML as {@link org.virthooks.libvirt.LibvirtHookContext}, runs the registered hooks under their
 * deadlines (10 s unless registered otherwise) and answers as libvirt expects (exit status,
 * one-line stderr, rewritten XML on stdout at filter points). Hooks must never call back into
 * libvirt: libvirtd waits for them.
 *
 * <p>Two ways to run, installed by {@link org.virthooks.libvirt.LibvirtHookInstaller}
 * ({@code virthooks libvirt install}):
 * <ul>
 *   <li><b>relay</b> (recommended): the installed script is lib-core's small Perl client; the
 *       calls are answered by a {@code RelayServer} with this runner as its handler, inside the
 *       management tool's JVM (or {@code virthooks relay serve}). A few milliseconds per call.
 *       When the server cannot be reached the client follows its {@code UnreachablePolicy}:
 *       {@code PROCEED} by default (a stopped management tool must not stop every guest from
 *       starting or being torn down), {@code REFUSE} for hooks that enforce policy.
 *   <li><b>jvm</b>: a launcher execs {@link org.virthooks.libvirt.LibvirtHookMain} in a fresh JVM
 *       per call, with the hooks of every {@link org.virthooks.libvirt.LibvirtHookProvider} found
 *       by {@code ServiceLoader}. Costs a JVM start-up per call (a guest start makes three).
 * </ul>
 * {@code org.virthooks.libvirt.testing}, in the artifact {@code virthooks-libvirt-testing} (test
 * scope), has a harness that calls hooks as libvirt does, with no daemon.
 */
package org.virthooks.libvirt;
