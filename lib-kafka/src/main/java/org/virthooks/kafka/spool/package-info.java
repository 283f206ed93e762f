/** The crash-safe local spool between event publishers and the Kafka sender. */
package org.virthooks.kafka.spool;
