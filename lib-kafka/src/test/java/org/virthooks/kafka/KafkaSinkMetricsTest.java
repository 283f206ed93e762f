package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.testing.TestEvents;
import org.virthooks.kafka.spool.SpoolConfig;

/** The sink before its sender starts: no broker needed (a producer connects only when it sends). */
class KafkaSinkMetricsTest {
  @TempDir
  Path dir;

  private KafkaEventSink.Builder builder() {
    return KafkaEventSink.builder().bootstrapServers("127.0.0.1:9").topic("t").hostId("hv-1")
        .spool(SpoolConfig.defaults(dir));
  }

  @Test
  void metersReadTheSinksCounters() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaEventSink sink = builder().build()) {
      new KafkaSinkMetrics(sink).bindTo(registry);
      TestEvents events = new TestEvents();
      for (int i = 0; i < 3; i++) {
        sink.publish(events.domain("vm", DomainEvent.Kind.STARTED));
      }
      assertThat(registry.get("virthooks.kafka.spool.depth").tag("topic", "t").tag("host", "hv-1")
          .gauge().value()).isEqualTo(3);
      assertThat(registry.get("virthooks.kafka.spool.bytes").gauge().value()).isPositive();
      assertThat(registry.get("virthooks.kafka.published").functionCounter().count())
          .isEqualTo(3);
      assertThat(registry.get("virthooks.kafka.sent").functionCounter().count()).isZero();
      assertThat(registry.get("virthooks.kafka.sender.state").tag("state", "new").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("virthooks.kafka.sender.state").tag("state", "sending").gauge()
          .value()).isZero();
    }
    // the spool kept them for the next start
    try (KafkaEventSink again = builder().build()) {
      assertThat(again.spoolDepthEvents()).isEqualTo(3);
    }
  }

  @Test
  void settingsAreCheckedAtBuild() {
    assertThatThrownBy(() -> builder().hostId("bad host").build())
        .hasMessageContaining("host id 'bad host'");
    assertThatThrownBy(() -> builder().topic(" ").build()).hasMessageContaining("topic");
    assertThatThrownBy(() -> builder().clientProperty("enable.idempotence", "false").build())
        .hasMessageContaining("enable.idempotence=false");
    assertThatThrownBy(() -> builder().clientProperty("max.in.flight.requests.per.connection", 9)
        .build()).hasMessageContaining("max.in.flight");
  }

  @Test
  void publishAfterCloseIsRefused() throws Exception {
    KafkaEventSink sink = builder().build();
    sink.close();
    assertThat(sink.senderState()).isEqualTo(SenderState.CLOSED);
    assertThatThrownBy(() -> sink.publish(new TestEvents().domain("vm", DomainEvent.Kind.STARTED)))
        .isInstanceOf(IllegalStateException.class);
  }
}
