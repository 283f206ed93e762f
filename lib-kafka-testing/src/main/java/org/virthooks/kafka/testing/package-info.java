/** Test support for virthooks-kafka: a real Kafka broker run as a child JVM. */
package org.virthooks.kafka.testing;
