package org.virthooks.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.testing.TestEvents;

class MigrationWatcherTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  private final TestEvents ev = new TestEvents();

  @Test
  void aMigrationThatStopsMovingIsReportedAsStalled() {
    MigrationWatcher w = new MigrationWatcher(clock);
    try (EventDispatcher events = EventDispatcher.create()) {
      events.on(ProgressEvent.class, w);
      events.publish(ev.progress("ldg1", 10, ProgressEvent.Status.ONGOING));
      events.publish(ev.progress("ldg2", 10, ProgressEvent.Status.ONGOING));
      now.set(now.get().plusSeconds(60));
      events.publish(ev.progress("ldg1", 45, ProgressEvent.Status.ONGOING));
      events.publish(ev.progress("ldg2", 10, ProgressEvent.Status.ONGOING)); // no movement
      now.set(now.get().plusSeconds(30));
    }
    assertThat(w.stalled(Duration.ofSeconds(60))).extracting(MigrationWatcher.Migration::domain)
        .containsExactly("ldg2");
    assertThat(w.of("ldg1").orElseThrow().percent()).isEqualTo(45);
  }

  @Test
  void finishedMigrationsAreNeverStalled() {
    MigrationWatcher w = new MigrationWatcher(clock);
    w.onEvent(ev.progress("ldg1", 100, ProgressEvent.Status.DONE));
    w.onEvent(ev.progress("ldg2", 30, ProgressEvent.Status.FAILED));
    now.set(now.get().plusSeconds(3600));
    assertThat(w.stalled(Duration.ofSeconds(1))).isEmpty();
    assertThat(w.of("ldg2").orElseThrow().status()).isEqualTo(ProgressEvent.Status.FAILED);
  }
}
