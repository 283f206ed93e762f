package org.virthooks.cli;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.virthooks.core.EventSink;
import org.virthooks.ldm.LdmEventCategory;
import org.virthooks.ldm.LdmEventSource;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/**
 * The demo's LDoms part: the embedded ldmd simulator on loopback, a real {@link LdmEventSource}
 * connected to it over XMPP/TLS, a scripted run of events, and a dropped connection that the
 * source survives.
 */
final class DemoLdoms {
  private DemoLdoms() {}

  /** Runs the scenario, publishing into {@code sink}; returns a one-line note for the summary. */
  static String run(EventSink sink) throws Exception {
    try (LdmdSimulator sim = LdmdSimulator.start();
        LdmEventSource source = LdmEventSource.builder(sim.clientConfig().build(), sink)
            .categories(Set.of(LdmEventCategory.ALL))
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build()) {
      source.start();
      if (!source.awaitConnected(Duration.ofSeconds(10))
          || !sim.awaitRegisteredClients(1, Duration.ofSeconds(10))) {
        return "ldmd simulator: the source did not connect";
      }
      for (String action : List.of("add-domain", "bind-domain", "start-domain")) {
        sim.publish(SeedEvents.event(action, "ldg1"));
      }
      sim.publish(SeedEvents.event("add-vdisk", "ldg1"));
      sim.publish(SeedEvents.event("set-vswitch", "primary"));
      sim.publish(SeedEvents.spconfig("add-spconfig", "nightly", "next"));
      for (String p : List.of("10%", "45%", "100%")) {
        sim.publish(SeedEvents.migration("ldg1", p, p.equals("100%") ? "done" : "ongoing",
            "host-b"));
      }
      sim.publish(SeedEvents.event("frobnicate-domain", "ldg1")); // a newer ldmd's action
      pause(300);
      sim.dropConnections();
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (source.reconnections() == 0 && System.nanoTime() < end) {
        pause(20);
      }
      sim.awaitRegisteredClients(1, Duration.ofSeconds(5));
      sim.publish(SeedEvents.event("stop-domain", "ldg1"));
      pause(300);
      return "ldmd simulator at " + sim.host() + ":" + sim.port() + " over TLS, reconnected "
          + source.reconnections() + " time(s)";
    }
  }

  private static void pause(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }
}
