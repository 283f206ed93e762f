package org.virthooks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.kafka.spool.SpoolConfig;
import org.virthooks.kafka.testing.KafkaBrokerExtension;
import org.virthooks.libvirt.LibvirtEventSource;

/**
 * Scenario 1: a steady stream from a real feed (libvirt's test driver, in process) through the
 * sink: every event arrives exactly once, byte for byte its JSON line, in order per key.
 */
class SteadyFeedTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String URI = "test:///default";
  private static final int DOMAINS = 40;

  @TempDir
  Path spoolDir;

  @Test
  void everyEventOfALibvirtFeedArrivesOnceInOrderPerDomain() throws Exception {
    String servers = KAFKA.broker().bootstrapServers();
    KAFKA.broker().createTopic("feed", 3);
    List<VirtEvent> published = new CopyOnWriteArrayList<>();
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers).topic("feed")
             .hostId("hv-01").spool(SpoolConfig.defaults(spoolDir)).build().start();
         EventDispatcher events = EventDispatcher.create()) {
      events.on(VirtEvent.class, e -> {
        sink.publish(e);
        published.add(e);
      });
      try (LibvirtEventSource feed = LibvirtEventSource.builder(URI, events).build().start()) {
        assertThat(feed.awaitConnected(Duration.ofSeconds(30))).isTrue();
        Connect conn = new Connect(URI);
        try {
          // a steady stream: each domain defined, started, paused, resumed, destroyed, undefined
          for (int i = 0; i < DOMAINS; i++) {
            Domain d = conn.domainDefineXML("<domain type='test'><name>vh-kafka-" + i
                + "</name><memory>65536</memory><os><type>hvm</type></os></domain>");
            d.create();
            d.suspend();
            d.resume();
            d.destroy();
            d.undefine();
            Thread.sleep(20);
          }
        } finally {
          conn.close();
        }
        long lifecycle = DOMAINS * 6L;
        assertThat(Topics.await(() -> published.stream().filter(e -> e instanceof DomainEvent
            && ((DomainEvent) e).domain().name().startsWith("vh-kafka-")).count() >= lifecycle,
            Duration.ofSeconds(60))).as("the feed's events").isTrue();
      }
      long n = published.size();
      assertThat(Topics.await(() -> sink.acknowledged() >= n, Duration.ofSeconds(120)))
          .as("acknowledged %d of %d", sink.acknowledged(), n).isTrue();
      List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(servers, "feed", n);

      assertThat(sink.resent()).isZero();
      assertThat(Topics.duplicates(records)).isZero();
      assertThat(records).hasSize((int) n);
      // the value is the JSON line as EventJson writes it, every one of them
      assertThat(records.stream().map(Topics::value).collect(Collectors.toList()))
          .containsExactlyInAnyOrderElementsOf(published.stream().map(EventJson::toJson)
              .collect(Collectors.toList()));
      Topics.assertPerKeyOrder(records);
      // per key means per domain: one UUID, one partition, the feed's own order
      assertThat(records.stream().filter(r -> Topics.value(r).contains("vh-kafka-7\""))
          .map(r -> Topics.header(r, "ce_type")).filter(t -> t.startsWith("org.virthooks.domain."))
          .collect(Collectors.toList()))
          .containsExactly("org.virthooks.domain.defined", "org.virthooks.domain.started",
              "org.virthooks.domain.suspended", "org.virthooks.domain.resumed",
              "org.virthooks.domain.stopped", "org.virthooks.domain.undefined");
      assertThat(sink.spoolDepthEvents()).isZero();
    }
  }
}
