/**
 * The hook SPI: {@link org.virthooks.core.hook.Hook}s answer calls at
 * {@link org.virthooks.core.hook.HookPoint}s with a {@link org.virthooks.core.hook.Verdict};
 * the {@link org.virthooks.core.hook.HookRegistry} orders them and enforces deadlines.
 */
package org.virthooks.core.hook;
