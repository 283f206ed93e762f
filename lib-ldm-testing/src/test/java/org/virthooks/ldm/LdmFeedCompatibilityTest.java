package org.virthooks.ldm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.virthooks.core.EventSink;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.testing.EventFeedCompatibilityKit;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/** The LDoms feed against the ldmd simulator over XMPP/TLS on loopback. */
class LdmFeedCompatibilityTest extends EventFeedCompatibilityKit {
  private LdmdSimulator sim;

  @BeforeEach
  void startSimulator() throws IOException {
    sim = LdmdSimulator.start();
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  @Override
  protected EventFeed newFeed(EventSink sink) {
    return LdmEventSource.builder(sim.clientConfig().build(), sink)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
  }

  @Override
  protected void causeDomainEvent(String name) throws Exception {
    // a registration made on another connection can lag the feed's CONNECTED by a moment
    if (!sim.awaitRegisteredClients(1, WAIT)) {
      throw new AssertionError("no client registered");
    }
    if (sim.publish(SeedEvents.event("start-domain", name)) != 1) {
      throw new AssertionError("the event reached no registered client");
    }
  }

  @Override
  protected void breakConnection() {
    sim.dropConnections();
  }

  @Override
  protected List<String> threadNamePrefixes() {
    return List.of("ldm-");
  }
}
