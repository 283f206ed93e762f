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
import java.util.UUID;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
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

  @Test
  void batchesFromSeveralThreadsArriveOnceInOrderPerDomain() throws Exception {
    String servers = KAFKA.broker().bootstrapServers();
    KAFKA.broker().createTopic("batches", 3);
    int threads = 4;
    int batches = 30;
    List<VirtEvent> published = new CopyOnWriteArrayList<>();
    try (KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers(servers)
             .topic("batches").hostId("hv-02").spool(SpoolConfig.defaults(spoolDir)).build()
             .start()) {
      List<Thread> publishers = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        EventStamper stamper = new EventStamper(SourceId.of("libvirt", "test:///batch" + t));
        DomainRef domain = DomainRef.of("vh-batch-" + t).withUuid(UUID.randomUUID());
        Thread thread = new Thread(() -> {
          for (int b = 0; b < batches; b++) {
            List<VirtEvent> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 1 + b % 9; i++) {
              batch.add(DomainEvent.of(stamper.next("LIFECYCLE/STARTED/BOOTED"), domain,
                  DomainEvent.Kind.STARTED, "BOOTED"));
            }
            sink.publishAll(batch);
            published.addAll(batch);
          }
        });
        thread.start();
        publishers.add(thread);
      }
      for (Thread thread : publishers) {
        thread.join(60_000);
        assertThat(thread.isAlive()).isFalse();
      }
      long n = published.size();
      assertThat(sink.published()).isEqualTo(n);
      assertThat(Topics.await(() -> sink.acknowledged() >= n, Duration.ofSeconds(120)))
          .as("acknowledged %d of %d", sink.acknowledged(), n).isTrue();
      List<ConsumerRecord<byte[], byte[]>> records = Topics.readAll(servers, "batches", n);
      assertThat(Topics.duplicates(records)).isZero();
      assertThat(records.stream().map(Topics::value).collect(Collectors.toList()))
          .containsExactlyInAnyOrderElementsOf(published.stream().map(EventJson::toJson)
              .collect(Collectors.toList()));
      // one publisher per domain: each domain's events arrive in the order they were stamped
      Topics.assertPerKeyOrder(records);
      for (int t = 0; t < threads; t++) {
        String name = "vh-batch-" + t + "\"";
        List<Long> stamps = records.stream().filter(r -> Topics.value(r).contains(name))
            .map(r -> Long.parseLong(Topics.value(r).replaceAll(".*\"seq\":(\\d+).*", "$1")))
            .collect(Collectors.toList());
        assertThat(stamps).hasSize(batches / 9 * 45 + sumUpTo(batches % 9)).isSorted();
      }
    }
  }

  /** 1 + 2 + ... + k. */
  private static int sumUpTo(int k) {
    return k * (k + 1) / 2;
  }
}
