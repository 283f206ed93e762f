package org.virthooks.core.hook;

/**
 * Answers a {@link HookCall} at a decision point. Register with
 * {@link HookRegistry#hook(HookPoint)}.
 *
 * <p>The contract:
 * <ul>
 *   <li>A hook runs while the daemon waits (a guest start, a device add): return within the
 *       deadline. An overrun is abandoned (the thread is interrupted) and counts as a refusal at
 *       before and filter points.
 *   <li><b>Never call back into the hypervisor</b> (libvirt, ldmd, xenstore of the operation in
 *       progress): the daemon is waiting for this hook and a call back deadlocks. Everything the
 *       hook may know comes with the call: the domain, the raw document, the attributes.
 *   <li>Throwing is allowed: at before and filter points it refuses with the exception's message,
 *       at after points it is reported.
 *   <li>Do not leave child processes holding the daemon's pipes.
 * </ul>
 */
@FunctionalInterface
public interface Hook {
  /** Answers the call. */
  Verdict apply(HookCall call) throws Exception;
}
