/** Benchmarks of the Xen adapter: xenstore client round trips against the in-memory server. */
package org.virthooks.benchmarks.xen;
