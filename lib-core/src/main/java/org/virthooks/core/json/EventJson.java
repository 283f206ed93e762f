package org.virthooks.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.DomainRef;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.HookCall;

/**
 * Renders events and hook calls as one line of JSON each, with the schema documented in the
 * README ({@code category}, {@code kind}, {@code action}, {@code source}, {@code time},
 * {@code seq}, {@code domain}, then the category's own fields). Field order is fixed; absent
 * optional fields are left out, except {@code domain}, which is {@code null} when there is none.
 * Thread-safe.
 */
public final class EventJson {
  /** The version of the schema, written as {@code "v"}; raised only for incompatible changes. */
  public static final int SCHEMA_VERSION = 1;

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private EventJson() {}

  /** The event as one line of JSON, without a line break. */
  public static String toJson(VirtEvent event) {
    StringWriter w = new StringWriter(256);
    write(event, w);
    return w.toString();
  }

  /** Writes the event as one line of JSON to {@code out}, without a line break. */
  public static void write(VirtEvent event, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeNumberField("v", SCHEMA_VERSION);
      g.writeStringField("category", event.category().jsonName());
      g.writeStringField("kind", event.kindName());
      g.writeStringField("action", event.action());
      g.writeStringField("source", event.source().toString());
      g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
      g.writeNumberField("seq", event.seq());
      writeDomain(g, event.optionalDomain());
      // Java 17 has no pattern switch; the chain covers every permitted record
      if (event instanceof DomainEvent d) {
        optional(g, "detail", d.detail());
        if (d.payload().isPresent()) {
          g.writeFieldName("payload");
          writePayload(g, d.payload().get());
        }
      } else if (event instanceof HardwareEvent h) {
        g.writeStringField("operation", h.operation().jsonName());
        optional(g, "config", h.config());
        optional(g, "configStatus", h.configStatus());
      } else if (event instanceof ProgressEvent p) {
        if (p.percent().isPresent()) {
          g.writeNumberField("percent", p.percent().getAsInt());
        }
        g.writeStringField("status", p.status().jsonName());
        optional(g, "reporter", p.reporter());
      } else if (event instanceof ResourceEvent r) {
        g.writeStringField("operation", r.operation().jsonName());
        g.writeStringField("resource", r.resource().jsonName());
        optional(g, "name", r.name());
        optional(g, "service", r.service());
      } else if (event instanceof SourceEvent s) {
        optional(g, "message", s.message());
      }
      writeAttributes(g, event.meta().attributes());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A hook call as one line of JSON: {@code point}, {@code phase}, {@code action}, {@code source},
   * {@code domain}, then {@code document} and {@code attributes} when present.
   */
  public static String toJson(HookCall call) {
    StringWriter w = new StringWriter(256);
    write(call, w);
    return w.toString();
  }

  /**
   * Writes the call as {@link #toJson(HookCall)} does to {@code out}, without a line break: a
   * large document goes through in pieces, never copied whole.
   */
  public static void write(HookCall call, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeNumberField("v", SCHEMA_VERSION);
      g.writeStringField("point", call.point().name());
      g.writeStringField("phase", call.point().phase().jsonName());
      g.writeStringField("action", call.action());
      g.writeStringField("source", call.source().toString());
      writeDomain(g, call.domain());
      optional(g, "document", call.document());
      writeAttributes(g, call.attributes());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The payload as an object whose fields are the record's components, under the same names;
   * enums by their JSON names, absent optionals left out, unsigned numbers as such.
   */
  private static void writePayload(JsonGenerator g, DomainPayload p) throws IOException {
    g.writeStartObject();
    // Java 17 has no pattern switch; the chain covers every permitted record
    if (p instanceof DomainPayload.AgentLifecycle a) {
      g.writeStringField("state", a.state().jsonName());
      g.writeStringField("reason", a.reason().jsonName());
    } else if (p instanceof DomainPayload.BlockThreshold b) {
      g.writeStringField("device", b.device());
      optional(g, "path", b.path());
      unsigned(g, "threshold", b.threshold());
      unsigned(g, "excess", b.excess());
    } else if (p instanceof DomainPayload.DiskChange c) {
      optional(g, "oldSource", c.oldSource());
      optional(g, "newSource", c.newSource());
      optional(g, "alias", c.alias());
      g.writeStringField("reason", c.reason().jsonName());
    } else if (p instanceof DomainPayload.TrayChange t) {
      optional(g, "alias", t.alias());
      g.writeStringField("reason", t.reason().jsonName());
    } else if (p instanceof DomainPayload.Graphics gr) {
      g.writeStringField("phase", gr.phase().jsonName());
      if (gr.local().isPresent()) {
        g.writeFieldName("local");
        writeAddress(g, gr.local().get());
      }
      if (gr.remote().isPresent()) {
        g.writeFieldName("remote");
        writeAddress(g, gr.remote().get());
      }
      optional(g, "authScheme", gr.authScheme());
      g.writeArrayFieldStart("subject");
      for (DomainPayload.Graphics.Identity i : gr.subject()) {
        g.writeStartObject();
        g.writeStringField("type", i.type());
        g.writeStringField("name", i.name());
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (p instanceof DomainPayload.RtcChange r) {
      g.writeNumberField("utcOffset", r.utcOffset());
    } else if (p instanceof DomainPayload.MetadataChange m) {
      g.writeStringField("type", m.type().jsonName());
      optional(g, "namespaceUri", m.namespaceUri());
    } else if (p instanceof DomainPayload.MemoryFailure m) {
      g.writeStringField("recipient", m.recipient().jsonName());
      g.writeStringField("action", m.action().jsonName());
      g.writeArrayFieldStart("flags");
      // in declaration order, so that the line is the same whatever set the record holds
      for (DomainPayload.MemoryFailureFlag f : DomainPayload.MemoryFailureFlag.values()) {
        if (m.flags().contains(f)) {
          g.writeString(f.jsonName());
        }
      }
      g.writeEndArray();
    } else if (p instanceof DomainPayload.NicMacChange n) {
      optional(g, "alias", n.alias());
      optional(g, "oldMac", n.oldMac());
      optional(g, "newMac", n.newMac());
    }
    g.writeEndObject();
  }

  private static void writeAddress(JsonGenerator g, DomainPayload.Graphics.Address a)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("family", a.family().jsonName());
    optional(g, "node", a.node());
    optional(g, "service", a.service());
    g.writeEndObject();
  }

  /** A C {@code unsigned long long} held in a long: above 2^63 it is no negative number. */
  private static void unsigned(JsonGenerator g, String field, long value) throws IOException {
    g.writeFieldName(field);
    if (value >= 0) {
      g.writeNumber(value);
    } else {
      g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(value)));
    }
  }

  private static void writeDomain(JsonGenerator g, Optional<DomainRef> domain) throws IOException {
    if (domain.isEmpty()) {
      g.writeNullField("domain");
      return;
    }
    DomainRef d = domain.get();
    g.writeObjectFieldStart("domain");
    g.writeStringField("name", d.name());
    if (d.id().isPresent()) {
      g.writeNumberField("id", d.id().getAsInt());
    }
    if (d.uuid().isPresent()) {
      g.writeStringField("uuid", d.uuid().get().toString());
    }
    g.writeEndObject();
  }

  private static void writeAttributes(JsonGenerator g, Map<String, String> attributes)
      throws IOException {
    if (attributes.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("attributes");
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      g.writeStringField(a.getKey(), a.getValue());
    }
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String field, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeStringField(field, value.get());
    }
  }
}
