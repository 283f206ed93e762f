package org.virthooks.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Registration;
import org.virthooks.libvirt.LibvirtEventSource;
import org.virthooks.libvirt.LibvirtUnavailableException;

/**
 * The demo's libvirt part: a real {@link LibvirtEventSource} on libvirt's in-process test driver
 * ({@code test:///default}, no daemon needed), and a guest taken through its life.
 */
final class DemoLibvirt {
  private static final String URI = "test:///default";

  private DemoLibvirt() {}

  /** Runs the scenario, publishing into {@code events}; returns a one-line note for the summary. */
  static String run(EventDispatcher events) throws Exception {
    CountDownLatch undefined = new CountDownLatch(1);
    try (Registration waiter = events.on(DomainEvent.class,
            e -> e.kind() == DomainEvent.Kind.UNDEFINED && e.domain().name().equals("demo-web"),
            e -> undefined.countDown());
        LibvirtEventSource source = LibvirtEventSource.builder(URI, events).build().start()) {
      if (!source.awaitConnected(Duration.ofSeconds(10))) {
        throw new IllegalStateException("cannot connect to " + URI + ": "
            + source.lastFailure().orElse("no answer within 10 s"));
      }
      Connect conn = new Connect(URI);
      try {
        Domain d = conn.domainDefineXML("<domain type='test'><name>demo-web</name>"
            + "<memory>65536</memory><os><type>hvm</type></os></domain>");
        d.create();
        d.suspend();
        d.resume();
        d.destroy();
        d.undefine();
      } finally {
        conn.close();
      }
      boolean all = undefined.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
      return "libvirt: " + URI + " (in-process test driver), " + source.registeredIds().size()
          + " event IDs registered" + (all ? "" : "; some events did not arrive in time");
    } catch (LibvirtUnavailableException | UnsatisfiedLinkError | NoClassDefFoundError e) {
      return "libvirt: skipped, libvirt.so.0 cannot be loaded: apt-get install "
          + LibvirtUnavailableException.PACKAGE;
    }
  }
}
