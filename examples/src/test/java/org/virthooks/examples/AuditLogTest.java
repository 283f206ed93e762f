package org.virthooks.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceType;
import org.virthooks.core.testing.TestEvents;

class AuditLogTest {
  private final TestEvents ev = new TestEvents();

  @Test
  void everyEventBecomesOneJsonLine() throws Exception {
    StringWriter out = new StringWriter();
    AuditLog log = new AuditLog(out);
    try (EventDispatcher events = EventDispatcher.create()) {
      log.registerWith(events);
      events.publish(ev.domain("web1", DomainEvent.Kind.STARTED));
      events.publish(ev.resource("web1", Operation.ADD, ResourceType.VDISK));
    } // close() delivers what is queued
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(lines.get(0)).get("kind").asText()).isEqualTo("started");
    assertThat(json.readTree(lines.get(1)).get("kind").asText()).isEqualTo("add-vdisk");
    assertThat(log.written()).isEqualTo(2);
  }

  @Test
  void aFailingDiskIsCountedNotThrown() {
    Writer broken = new Writer() {
      @Override
      public void write(char[] c, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    AuditLog log = new AuditLog(broken);
    log.onEvent(ev.domain("web1", DomainEvent.Kind.STOPPED));
    assertThat(log.failed()).isEqualTo(1);
    assertThat(log.written()).isZero();
  }
}
