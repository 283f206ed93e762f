package org.virthooks.libvirt.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.VirtEvent;

/**
 * Adds the domain's state, reason and info to its events, on a thread of its own: never on
 * libvirt's event loop thread, where a round trip to the daemon would stall every connection.
 * One thread, in order, so enrichment never reorders events; an event whose domain cannot be
 * asked goes on as it came.
 */
public final class Enricher {
  private static final Logger LOG = LoggerFactory.getLogger(Enricher.class);

  private final String uri;
  private final ExecutorService thread;
  private final Consumer<VirtEvent> publish;

  /** An enricher for {@code uri}'s events, handing them to {@code publish} on its thread. */
  public Enricher(String uri, ThreadFactory threads, Consumer<VirtEvent> publish) {
    this.uri = uri;
    this.thread = Executors.newSingleThreadExecutor(threads);
    this.publish = publish;
  }

  /** The executor, for the source to stop with its other threads. */
  public ExecutorService executor() {
    return thread;
  }

  /**
   * Enriches {@code e} (a domain event of {@code d}) and publishes it, or publishes it as it is
   * when it is about no domain; dropped once the enricher is stopped.
   */
  public void emit(VirtEvent e, DomainPointer d) {
    // the callback's pointer is libvirt's only for the callback: hold a reference of our own
    boolean ref = d != null && e instanceof DomainEvent && Libvirt.INSTANCE.virDomainRef(d) == 0;
    try {
      thread.execute(() -> {
        VirtEvent out = e;
        if (ref) {
          try {
            out = DomainStates.enriched((DomainEvent) e, d);
          } catch (RuntimeException ex) {
            LOG.debug("{}: enrichment failed for {}", uri, e.action(), ex);
          } finally {
            Libvirt.INSTANCE.virDomainFree(d);
          }
        }
        publish.accept(out);
      });
    } catch (RejectedExecutionException closing) {
      if (ref) {
        Libvirt.INSTANCE.virDomainFree(d);
      }
    }
  }
}
