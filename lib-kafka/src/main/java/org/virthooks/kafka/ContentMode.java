package org.virthooks.kafka;

/** How a CloudEvent is laid out in a Kafka record (the CloudEvents Kafka protocol binding, 3.2 and 3.3). */
public enum ContentMode {
  /**
   * The default: the value is the event's JSON line ({@code content-type: application/json}), the
   * CloudEvents attributes are {@code ce_} headers. A consumer that knows nothing of CloudEvents
   * reads the same JSON as virthooks' other outputs.
   */
  BINARY,
  /**
   * The value is a CloudEvents JSON envelope ({@code application/cloudevents+json}) with the
   * attributes as members and the event's JSON as {@code data}; no {@code ce_} headers.
   */
  STRUCTURED
}
