package org.virthooks.kafka.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.net.UrlEscapers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.virthooks.core.DomainRef;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.kafka.CloudEventFormat;
import org.virthooks.kafka.ContentMode;

/**
 * What the spool keeps of one event: everything of its Kafka record but what depends on the spool
 * sequence, which is known only once the append returns. {@link #toRecord} adds {@code id} and
 * {@code sequence}; it is a function of the stored bytes and the sequence alone (the host id and
 * the content mode are stored too), so a resend, even by another agent start with another
 * configuration, is the same record byte for byte.
 *
 * <p>Stored form (big-endian): format byte {@code 1}, mode byte, append time in epoch millis,
 * then length-prefixed UTF-8 strings: id prefix, key, attribute count and name/value pairs, then
 * the length-prefixed data (the event's JSON line).
 *
 * @param mode binary or structured
 * @param appendedAtMillis when the sink took the event, for the age of the oldest unacknowledged
 * @param idPrefix {@code <host id>/<sink incarnation>/}; the id is this and the spool sequence
 * @param key the record key, also the {@code partitionkey} attribute
 * @param attributes CloudEvents attributes but {@code specversion}, {@code id}, {@code sequence}
 *     and {@code datacontenttype}, in header order
 * @param data the event's JSON line, as {@link EventJson} writes it, in UTF-8
 */
public record SpooledEvent(ContentMode mode, long appendedAtMillis, String idPrefix, String key,
    List<Attribute> attributes, byte[] data) {

  private static final byte FORMAT = 1;
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** One CloudEvents attribute, by its name without prefix. */
  public record Attribute(String name, String value) {}

  /** The stored form of {@code event} as {@code hostId}'s sink of {@code incarnation} spools it. */
  public static byte[] encode(VirtEvent event, String hostId, String incarnation, ContentMode mode,
      long nowMillis) {
    String key = key(event, hostId);
    List<Attribute> attributes = new ArrayList<>(5);
    attributes.add(new Attribute("source", source(hostId, event)));
    attributes.add(new Attribute("type", type(event)));
    attributes.add(new Attribute("time", DateTimeFormatter.ISO_INSTANT.format(event.time())));
    event.optionalDomain().ifPresent(d -> attributes.add(new Attribute("subject", d.name())));
    attributes.add(new Attribute("partitionkey", key));
    byte[] data = EventJson.toJson(event).getBytes(StandardCharsets.UTF_8);
    return new SpooledEvent(mode, nowMillis, hostId + "/" + incarnation + "/", key, attributes,
        data).toBytes();
  }

  /**
   * The record key: the domain's UUID when known (both hosts of a migration agree on it), else
   * {@code <host id>/<domain name>}, else the host id.
   */
  public static String key(VirtEvent event, String hostId) {
    Optional<DomainRef> domain = event.optionalDomain();
    if (domain.isEmpty()) {
      return hostId;
    }
    return domain.get().uuid().map(Object::toString).orElse(hostId + "/" + domain.get().name());
  }

  /** {@code virthooks://<host id>/<adapter>/<instance>}, the instance escaped as a path segment. */
  public static String source(String hostId, VirtEvent event) {
    return CloudEventFormat.SOURCE_SCHEME + "://" + hostId + "/"
        + UrlEscapers.urlPathSegmentEscaper().escape(event.source().adapter()) + "/"
        + UrlEscapers.urlPathSegmentEscaper().escape(event.source().instance());
  }

  /** {@code org.virthooks.<category>.<kind>}. */
  public static String type(VirtEvent event) {
    return CloudEventFormat.TYPE_PREFIX + event.category().jsonName() + "." + event.kindName();
  }

  /** The stored form. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 256);
    out.write(FORMAT);
    out.write(mode.ordinal());
    writeLong(out, appendedAtMillis);
    writeString(out, idPrefix);
    writeString(out, key);
    writeInt(out, attributes.size());
    for (Attribute a : attributes) {
      writeString(out, a.name());
      writeString(out, a.value());
    }
    writeInt(out, data.length);
    out.write(data, 0, data.length);
    return out.toByteArray();
  }

  /**
   * Reads a stored form back.
   *
   * @throws IllegalArgumentException when the bytes are not one (another format, cut short)
   */
  public static SpooledEvent decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.get() != FORMAT) {
        throw new IllegalArgumentException("not a spooled event of format " + FORMAT);
      }
      ContentMode mode = ContentMode.values()[in.get()];
      long appendedAt = in.getLong();
      String idPrefix = readString(in);
      String key = readString(in);
      int n = in.getInt();
      List<Attribute> attributes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        attributes.add(new Attribute(readString(in), readString(in)));
      }
      byte[] data = new byte[in.getInt()];
      in.get(data);
      return new SpooledEvent(mode, appendedAt, idPrefix, key, List.copyOf(attributes), data);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a spooled event that cannot be read: " + e, e);
    }
  }

  /** The CloudEvents {@code id}. */
  public String id(long sequence) {
    return idPrefix + sequence;
  }

  /** The Kafka record of spool sequence {@code sequence} for {@code topic}. */
  public ProducerRecord<byte[], byte[]> toRecord(String topic, long sequence) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    String sequenceText = CloudEventFormat.sequence(sequence);
    List<Header> headers = new ArrayList<>(attributes.size() + 4);
    if (mode == ContentMode.STRUCTURED) {
      headers.add(header(CloudEventFormat.CONTENT_TYPE_HEADER,
          CloudEventFormat.STRUCTURED_CONTENT_TYPE));
      return new ProducerRecord<>(topic, null, keyBytes, envelope(sequence, sequenceText),
          headers);
    }
    headers.add(ce("specversion", CloudEventFormat.SPEC_VERSION));
    headers.add(ce("id", id(sequence)));
    for (Attribute a : attributes) {
      headers.add(ce(a.name(), a.value()));
    }
    headers.add(ce("sequence", sequenceText));
    headers.add(header(CloudEventFormat.CONTENT_TYPE_HEADER, CloudEventFormat.DATA_CONTENT_TYPE));
    return new ProducerRecord<>(topic, null, keyBytes, data, headers);
  }

  private byte[] envelope(long sequence, String sequenceText) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("specversion", CloudEventFormat.SPEC_VERSION);
      g.writeStringField("id", id(sequence));
      for (Attribute a : attributes) {
        g.writeStringField(a.name(), a.value());
      }
      g.writeStringField("sequence", sequenceText);
      g.writeStringField("datacontenttype", CloudEventFormat.DATA_CONTENT_TYPE);
      // the JSON line goes in as it is: data of a JSON datacontenttype is the JSON value itself
      g.writeFieldName("data");
      g.writeRawValue(new String(data, StandardCharsets.UTF_8));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Header ce(String name, String value) {
    return header(CloudEventFormat.HEADER_PREFIX + name, value);
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeInt(out, b.length);
    out.write(b, 0, b.length);
  }

  private static String readString(ByteBuffer in) {
    byte[] b = new byte[in.getInt()];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    writeInt(out, (int) (v >>> 32));
    writeInt(out, (int) v);
  }
}
