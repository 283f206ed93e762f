/**
 * The relay: hook-script calls forwarded over a Unix domain socket into a long-running JVM
 * ({@link org.virthooks.core.relay.RelayServer}), by a small installed client
 * ({@link org.virthooks.core.relay.RelayClientScript}) or from Java
 * ({@link org.virthooks.core.relay.RelayClient}).
 */
package org.virthooks.core.relay;
