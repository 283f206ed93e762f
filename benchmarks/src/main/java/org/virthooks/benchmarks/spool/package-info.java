/** The spool comparison: an SQLite spool for it, and the harness that measures both. */
package org.virthooks.benchmarks.spool;
