package org.virthooks.core.relay;

import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * Answers a hook script call relayed into this JVM: argv (the installed script's path first),
 * the forwarded environment and stdin in, exit code, stdout and stderr out. Adapters provide one
 * (the libvirt hook adapter, the Xen hotplug runner); it may be called from several threads at
 * once, one per concurrent call. What it throws becomes exit status 1 with the message on stderr.
 */
@FunctionalInterface
public interface RelayHandler {
  /** Answers one call. */
  ScriptResult handle(ScriptInvocation call) throws Exception;
}
