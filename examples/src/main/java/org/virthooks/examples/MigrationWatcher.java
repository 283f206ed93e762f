package org.virthooks.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virthooks.core.EventListener;
import org.virthooks.core.ProgressEvent;

/**
 * Watches migration progress (LDoms {@code migration-process}, libvirt migration iterations) per
 * domain: the latest percent and status, and which migrations have stalled, so that an operator
 * is told about a migration that stopped moving rather than one that merely runs long.
 */
public final class MigrationWatcher implements EventListener<ProgressEvent> {
  /** Where one domain's migration stands. */
  public record Migration(String domain, int percent, ProgressEvent.Status status,
      Instant lastProgress, String reporter) {}

  private final Clock clock;
  private final Map<String, Migration> migrations = new LinkedHashMap<>();

  /** A watcher reading time from {@code clock}. */
  public MigrationWatcher(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void onEvent(ProgressEvent e) {
    if (e.kind() != ProgressEvent.Kind.MIGRATION || e.domain().isEmpty()) {
      return;
    }
    String name = e.domain().get().name();
    Migration before = migrations.get(name);
    int percent = e.percent().orElse(before == null ? 0 : before.percent());
    boolean moved = before == null || percent != before.percent() || e.status() != before.status();
    migrations.put(name, new Migration(name, percent, e.status(),
        moved ? clock.instant() : before.lastProgress(), e.reporter().orElse("-")));
  }

  /** The migration of {@code domain}, if one was seen. */
  public synchronized java.util.Optional<Migration> of(String domain) {
    return java.util.Optional.ofNullable(migrations.get(domain));
  }

  /** Ongoing migrations whose percent has not moved for {@code patience}. */
  public synchronized List<Migration> stalled(Duration patience) {
    Instant cutoff = clock.instant().minus(patience);
    List<Migration> out = new ArrayList<>();
    for (Migration m : migrations.values()) {
      if (m.status() == ProgressEvent.Status.ONGOING && m.lastProgress().isBefore(cutoff)) {
        out.add(m);
      }
    }
    return out;
  }
}
