/**
 * Exec'd scripts as data ({@link org.virthooks.core.script.ScriptInvocation},
 * {@link org.virthooks.core.script.ScriptResult}), a runner with deadlines, and the events script
 * of the libvirt proposal ({@link org.virthooks.core.script.EventScript}).
 */
package org.virthooks.core.script;
