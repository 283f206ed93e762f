/** Not an API: the record encoding and the sender behind {@code KafkaEventSink}. */
package org.virthooks.kafka.internal;
