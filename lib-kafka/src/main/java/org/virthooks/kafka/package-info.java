/** Every event onto Apache Kafka as a CloudEvent, at least once, through a local spool. */
package org.virthooks.kafka;
