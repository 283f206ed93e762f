package org.virthooks.libvirt.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.VirtEvent;

/**
 * What a feed has told its consumers about each domain's state, by UUID, as the lifecycle kind
 * that leads to that state ({@link DomainStates#kindOfState}: running → started, paused →
 * suspended...), so that a reconciliation can compare it with the daemon's actual states and
 * publish only the differences.
 *
 * <p>Every observation gets a version from one counter. A reconciliation notes the version before
 * it asks the daemon and compares only the domains not observed since: an event published while
 * the answer was on its way is newer than the answer, and must not be "corrected" by it.
 * Thread-safe: the event loop, the feed's thread and the reconciler observe concurrently.
 */
public final class KnownStates {
  /** A domain as last told: the kind its state corresponds to, and when it was told. */
  record Known(DomainRef domain, DomainEvent.Kind kind, long version) {}

  private final Map<UUID, Known> known = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();

  /** The version of the latest observation: compare only what is not newer. */
  public long version() {
    return versions.get();
  }

  /** How many domains are known. */
  public int size() {
    return known.size();
  }

  /** Takes note of an event the feed publishes, if it tells a domain's state. */
  public void observe(VirtEvent e) {
    if (!(e instanceof DomainEvent d) || d.domain().uuid().isEmpty()) {
      return;
    }
    UUID uuid = d.domain().uuid().get();
    long v = versions.incrementAndGet();
    DomainEvent.Kind kind = stateKind(d);
    if (d.kind() == DomainEvent.Kind.UNDEFINED) {
      // an undefined running domain stays, transient; a shut off one is gone
      known.computeIfPresent(uuid, (k, old) -> old.kind() == DomainEvent.Kind.STOPPED ? null
          : new Known(d.domain(), old.kind(), v));
      return;
    }
    if (d.kind() == DomainEvent.Kind.DEFINED) {
      // a new definition is shut off; a redefinition keeps the state it had
      known.compute(uuid, (k, old) -> new Known(d.domain(),
          old == null ? DomainEvent.Kind.STOPPED : old.kind(), v));
      return;
    }
    if (kind != null) {
      known.put(uuid, new Known(d.domain(), kind, v));
    } else {
      // an event that tells no state still means the domain was seen: a newer answer is due
      known.computeIfPresent(uuid, (k, old) -> new Known(old.domain(), old.kind(), v));
    }
  }

  /**
   * The state kind an event tells: a resynchronisation event its own kind; a lifecycle event the
   * kind of the state it leads to (resumed and woken up: running); null for any other.
   */
  static DomainEvent.Kind stateKind(DomainEvent d) {
    return switch (d.kind()) {
      case STARTED, RESUMED, PMWAKEUP -> DomainEvent.Kind.STARTED;
      case STOPPED, SUSPENDED, SHUTDOWN, CRASHED, PMSUSPENDED -> d.kind();
      case OTHER -> "true".equals(d.meta().attributes().get("resync")) ? d.kind() : null;
      default -> null;
    };
  }

  /**
   * After a full resynchronisation that began at {@code since}: forgets the domains not listed
   * and not observed since (they are gone).
   */
  public void retainListed(Set<UUID> listed, long since) {
    known.entrySet().removeIf(en -> !listed.contains(en.getKey())
        && en.getValue().version() <= since);
  }

  /** What differs between the known states and {@code actual}, fetched after {@code since}. */
  public record Differences(List<DomainStates.Actual> changed, List<DomainRef> gone) {}

  /**
   * The domains whose actual state is not the one last told (unknown ones included) and the
   * known ones the daemon no longer has, leaving out every domain observed after {@code since}.
   */
  public Differences compare(List<DomainStates.Actual> actual, long since) {
    List<DomainStates.Actual> changed = new ArrayList<>();
    Set<UUID> present = new HashSet<>();
    for (DomainStates.Actual a : actual) {
      UUID uuid = a.domain().uuid().orElse(null);
      if (uuid == null) {
        continue;
      }
      present.add(uuid);
      Known k = known.get(uuid);
      if (k != null && k.version() > since) {
        continue;
      }
      if (k == null || k.kind() != DomainStates.kindOfState(a.state())) {
        changed.add(a);
      }
    }
    List<DomainRef> gone = new ArrayList<>();
    for (Map.Entry<UUID, Known> en : known.entrySet()) {
      if (!present.contains(en.getKey()) && en.getValue().version() <= since) {
        gone.add(en.getValue().domain());
      }
    }
    return new Differences(changed, gone);
  }

  /** Forgets a domain that is gone (after its correcting event, which may have kept it). */
  public void forget(UUID uuid) {
    known.remove(uuid);
  }
}
