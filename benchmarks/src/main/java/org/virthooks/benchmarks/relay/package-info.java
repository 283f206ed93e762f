/** Whole-exec latency of hook scripts: a sh no-op against the relay client. */
package org.virthooks.benchmarks.relay;
