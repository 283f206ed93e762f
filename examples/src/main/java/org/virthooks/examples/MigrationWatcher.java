package org.virthooks.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.EventListener;
import org.virthooks.core.ProgressEvent;
import org.virthooks.ldm.LdmClientConfig;
import org.virthooks.ldm.LdmEventSource;
import org.virthooks.ldm.LdmTrust;

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

  /**
   * Watches an ldmd's migrations: {@code MigrationWatcher HOST SHA256-PIN}; prints stalled
   * migrations (no progress for a minute) every ten seconds.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: MigrationWatcher LDMD-HOST CERTIFICATE-SHA256");
      System.exit(2);
    }
    MigrationWatcher watcher = new MigrationWatcher(Clock.systemUTC());
    try (EventDispatcher events = EventDispatcher.create()) {
      events.on(ProgressEvent.class, watcher);
      LdmClientConfig config = LdmClientConfig.builder(args[0])
          .trust(LdmTrust.pinnedSha256(args[1])).build();
      try (LdmEventSource source = LdmEventSource.builder(config, events).build().start()) {
        while (true) {
          Thread.sleep(10_000);
          watcher.stalled(Duration.ofMinutes(1)).forEach(m -> System.out.println("stalled: "
              + m.domain() + " at " + m.percent() + "% since " + m.lastProgress()));
        }
      }
    }
  }
}
