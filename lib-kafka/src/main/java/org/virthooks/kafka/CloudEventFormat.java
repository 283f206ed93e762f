package org.virthooks.kafka;

/**
 * The names of the record format {@link KafkaEventSink} writes (CloudEvents 1.0, Kafka protocol
 * binding), for consumers and tools that read it back. The README has the whole table.
 */
public final class CloudEventFormat {
  /** The CloudEvents version written. */
  public static final String SPEC_VERSION = "1.0";
  /** Prefix of every {@code type}: {@code org.virthooks.<category>.<kind>}. */
  public static final String TYPE_PREFIX = "org.virthooks.";
  /** Scheme of every {@code source}: {@code virthooks://<host id>/<adapter>/<instance>}. */
  public static final String SOURCE_SCHEME = "virthooks";
  /** The binding's prefix of attribute headers in binary mode. */
  public static final String HEADER_PREFIX = "ce_";
  /** The content-type header. */
  public static final String CONTENT_TYPE_HEADER = "content-type";
  /** The {@code datacontenttype}: the value (binary) or {@code data} (structured) is the event's JSON line. */
  public static final String DATA_CONTENT_TYPE = "application/json";
  /** The content type of a structured record. */
  public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  /** Digits of the zero-padded {@code sequence} extension: a long's 19, so text order is number order. */
  public static final int SEQUENCE_DIGITS = 19;

  private CloudEventFormat() {}

  /** The {@code sequence} extension's value for spool sequence {@code sequence}. */
  public static String sequence(long sequence) {
    String digits = Long.toString(sequence);
    return "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits;
  }
}
