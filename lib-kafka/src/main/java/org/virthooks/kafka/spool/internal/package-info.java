/** The segment log behind {@link org.virthooks.kafka.spool.SegmentSpool}; not an API. */
package org.virthooks.kafka.spool.internal;
