package org.virthooks.libvirt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.EventSink;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.testing.EventFeedCompatibilityKit;
import org.virthooks.libvirt.testing.Libvirtd;
import org.virthooks.libvirt.testing.TestDomains;

/**
 * The libvirt feed against a real libvirtd (root, started here on its standard socket), broken
 * off by killing the daemon and restored by starting it again. The test driver cannot stand in:
 * a {@code test:///default} connection never breaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class LibvirtFeedCompatibilityTest extends EventFeedCompatibilityKit {
  private Libvirtd daemon;

  @BeforeAll
  void startDaemon() throws Exception {
    daemon = Libvirtd.start(Path.of("target", "libvirtd-kit-logs").toAbsolutePath(),
        Duration.ofSeconds(30));
  }

  @AfterAll
  void stopDaemon() throws Exception {
    if (daemon == null) {
      return;
    }
    try {
      ensureRunning();
      Connect c = new Connect(Libvirtd.URI);
      try {
        for (String name : c.listDefinedDomains()) {
          if (name.startsWith("kit-")) {
            c.domainLookupByName(name).undefine();
          }
        }
      } finally {
        c.close();
      }
    } finally {
      daemon.close();
    }
  }

  private void ensureRunning() throws Exception {
    if (!ProcessHandle.of(daemon.pid()).map(ProcessHandle::isAlive).orElse(false)) {
      daemon.startDaemon(Duration.ofSeconds(30));
    }
  }

  @Override
  protected EventFeed newFeed(EventSink sink) throws Exception {
    ensureRunning();
    return LibvirtEventSource.builder(Libvirtd.URI, sink)
        .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build();
  }

  @Override
  protected void causeDomainEvent(String name) throws Exception {
    Connect c = new Connect(Libvirtd.URI);
    try {
      Domain d = c.domainDefineXML(TestDomains.tinyQemuGuest(name, UUID.randomUUID()));
      d.free();
    } finally {
      c.close();
    }
  }

  @Override
  protected void breakConnection() {
    daemon.kill(Duration.ofSeconds(10));
  }

  @Override
  protected void restore() throws Exception {
    ensureRunning();
  }

  @Override
  protected List<String> threadNamePrefixes() {
    return List.of("virthooks-libvirt-feed", "virthooks-libvirt-enrich");
  }
}
