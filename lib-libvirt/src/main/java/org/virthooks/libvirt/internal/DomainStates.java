package org.virthooks.libvirt.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virDomainInfo;
import org.libvirt.jna.virError;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainInfo;
import org.virthooks.core.DomainRef;
import org.virthooks.core.DomainState;
import org.virthooks.core.DomainStatus;
import org.virthooks.core.EventSink;
import org.virthooks.core.EventStamper;
import org.virthooks.core.VirtEvent;

/**
 * Domain states as events: what a feed publishes when it resynchronises, what enrichment adds to
 * an event (off the event-loop thread: each is a round trip to the daemon), and reading those
 * attributes back.
 */
public final class DomainStates {
  // VIR_ERR_NO_SUPPORT: a daemon (or driver) without virConnectGetAllDomainStats
  private static final int NO_SUPPORT = 3;

  private DomainStates() {}

  /**
   * One domain's state as the daemon reports it now.
   *
   * @param domain name, UUID and (when active) id
   * @param state libvirt's state code
   * @param reason libvirt's reason code
   */
  public record Actual(DomainRef domain, int state, int reason) {}

  /**
   * Publishes one event per domain of the connection with its state now (action
   * {@code RESYNC/<STATE>/<REASON>}, attribute {@code resync=true}); returns how many.
   */
  public static int publishAll(Connect conn, ConnectionPointer cp, EventStamper stamper,
      EventSink out) throws LibvirtException {
    List<Actual> all = current(conn, cp);
    for (Actual a : all) {
      out.publish(event(a, stamper, Map.of()));
    }
    return all.size();
  }

  /**
   * Every domain's state: one {@code virConnectGetAllDomainStats} round trip with the state
   * group (name, UUID and id are local accessors of the domains it returns), or, from a daemon
   * without it, {@link #currentPerDomain}.
   *
   * @throws IllegalStateException when the daemon fails the call
   */
  public static List<Actual> current(Connect conn, ConnectionPointer cp) throws LibvirtException {
    PointerByReference ref = new PointerByReference();
    int n = NativeLibvirt.get().virConnectGetAllDomainStats(cp, NativeLibvirt.VIR_DOMAIN_STATS_STATE,
        ref, 0);
    if (n < 0) {
      virError e = Libvirt.INSTANCE.virGetLastError();
      int code = e == null ? -1 : e.code;
      String why = e == null || e.message == null ? "unknown error" : e.message;
      Libvirt.INSTANCE.virResetLastError();
      if (code != NO_SUPPORT) {
        // libvirt-java makes its exceptions only in its own package
        throw new IllegalStateException("virConnectGetAllDomainStats failed: " + why);
      }
      return currentPerDomain(conn, cp);
    }
    Pointer records = ref.getValue();
    try {
      List<Actual> out = new ArrayList<>(n);
      byte[] uuid = new byte[16];
      for (int i = 0; i < n; i++) {
        // virDomainStatsRecord: {virDomainPtr dom; virTypedParameterPtr params; int nparams}
        Pointer rec = records.getPointer((long) i * Native.POINTER_SIZE);
        Pointer dom = rec.getPointer(0);
        Map<String, String> p = TypedParams.read(rec.getPointer(Native.POINTER_SIZE),
            rec.getInt(2L * Native.POINTER_SIZE));
        DirectLibvirt.virDomainGetUUID(dom, uuid);
        DomainRef d = DomainRef.of(DirectLibvirt.virDomainGetName(dom))
            .withUuid(uuid);
        int id = DirectLibvirt.virDomainGetID(dom);
        if (id >= 0) {
          d = d.withId(id);
        }
        out.add(new Actual(d, parseInt(p.get("state.state")), parseInt(p.get("state.reason"))));
      }
      return out;
    } finally {
      if (records != null) {
        NativeLibvirt.get().virDomainStatsRecordListFree(records);
      }
    }
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0; // NOSTATE: the daemon sent no state for it
    }
  }

  /**
   * Every domain's state the way resynchronisation first did it, kept to measure against:
   * {@code virConnectListAllDomains}, then a lookup and {@code virDomainGetState} per domain (two
   * round trips each).
   */
  public static List<Actual> currentPerDomain(Connect conn, ConnectionPointer cp)
      throws LibvirtException {
    Domain[] doms = conn.listAllDomains(0);
    List<Actual> out = new ArrayList<>(doms.length);
    for (Domain dom : doms) {
      try {
        String uuid = dom.getUUIDString();
        DomainRef ref = DomainRef.of(dom.getName()).withUuid(uuid);
        int id = dom.getID();
        if (id >= 0) {
          ref = ref.withId(id);
        }
        DomainPointer p = Libvirt.INSTANCE.virDomainLookupByUUIDString(cp, uuid);
        if (p == null) {
          lastError();
          continue; // undefined meanwhile
        }
        IntByReference st = new IntByReference();
        IntByReference rs = new IntByReference();
        int rc = NativeLibvirt.get().virDomainGetState(p, st, rs, 0);
        Libvirt.INSTANCE.virDomainFree(p);
        if (rc < 0) {
          lastError();
          continue;
        }
        out.add(new Actual(ref, st.getValue(), rs.getValue()));
      } finally {
        dom.free();
      }
    }
    return out;
  }

  /**
   * The resynchronisation event of one domain: its kind the lifecycle kind that leads to its
   * state, action {@code RESYNC/<STATE>/<REASON>}, attributes {@code resync=true}, the state
   * codes and names, and {@code extra}.
   */
  public static DomainEvent event(Actual s, EventStamper stamper, Map<String, String> extra) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("resync", "true");
    a.putAll(extra);
    putStatus(a, s.state(), s.reason());
    String stateName = a.getOrDefault("stateName", Integer.toString(s.state()));
    String reasonName = a.getOrDefault("stateReasonName", Integer.toString(s.reason()));
    return DomainEvent.of(stamper.next("RESYNC/" + stateName + "/" + reasonName, a), s.domain(),
        kindOfState(s.state()), stateName);
  }

  /** {@code e} with its domain's state, reason and {@link DomainInfo} as attributes. */
  public static DomainEvent enriched(DomainEvent e, DomainPointer d) {
    Map<String, String> a = new LinkedHashMap<>(e.meta().attributes());
    IntByReference state = new IntByReference();
    IntByReference reason = new IntByReference();
    if (NativeLibvirt.get().virDomainGetState(d, state, reason, 0) == 0) {
      putStatus(a, state.getValue(), reason.getValue());
    } else {
      lastError(); // an undefined domain has no state any more
    }
    virDomainInfo info = new virDomainInfo();
    if (Libvirt.INSTANCE.virDomainGetInfo(d, info) == 0) {
      a.put("maxMemoryKib", Long.toString(info.maxMem.longValue()));
      a.put("memoryKib", Long.toString(info.memory.longValue()));
      a.put("cpuTimeNanos", Long.toString(info.cpuTime));
      a.put("vcpus", Integer.toString(info.nrVirtCpu));
    } else {
      lastError();
    }
    return new DomainEvent(e.meta().withAttributes(a), e.domain(), e.kind(), e.detail());
  }

  static void putStatus(Map<String, String> a, int state, int reason) {
    a.put("state", Integer.toString(state));
    a.put("stateReason", Integer.toString(reason));
    try {
      DomainStatus st = DomainStatus.fromCodes(state, reason);
      a.put("stateName", st.state().name());
      st.reason().ifPresent(r -> a.put("stateReasonName", r.reasonName()));
    } catch (IllegalArgumentException unknownState) {
      // a newer libvirt's state: the raw codes are there
    }
  }

  /** The state and reason an enriched or resynchronisation event carries, when it does. */
  public static Optional<DomainStatus> status(VirtEvent e) {
    Map<String, String> a = e.meta().attributes();
    try {
      if (a.containsKey("state") && a.containsKey("stateReason")) {
        return Optional.of(DomainStatus.fromCodes(Integer.parseInt(a.get("state")),
            Integer.parseInt(a.get("stateReason"))));
      }
    } catch (IllegalArgumentException e2) {
      // unknown code
    }
    return Optional.empty();
  }

  /** The {@link DomainInfo} an enriched event carries, when it does. */
  public static Optional<DomainInfo> info(VirtEvent e) {
    Map<String, String> a = e.meta().attributes();
    if (!a.containsKey("vcpus") || !a.containsKey("state")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DomainInfo(Long.parseLong(a.get("maxMemoryKib")),
          Long.parseLong(a.get("memoryKib")), Long.parseLong(a.get("cpuTimeNanos")),
          Integer.parseInt(a.get("vcpus")), DomainState.fromCode(Integer.parseInt(a.get("state")))));
    } catch (IllegalArgumentException e2) {
      return Optional.empty();
    }
  }

  /** The lifecycle kind that leads to a state. */
  public static DomainEvent.Kind kindOfState(int state) {
    return switch (state) {
      case 1, 2 -> DomainEvent.Kind.STARTED;
      case 3 -> DomainEvent.Kind.SUSPENDED;
      case 4 -> DomainEvent.Kind.SHUTDOWN;
      case 5 -> DomainEvent.Kind.STOPPED;
      case 6 -> DomainEvent.Kind.CRASHED;
      case 7 -> DomainEvent.Kind.PMSUSPENDED;
      default -> DomainEvent.Kind.OTHER;
    };
  }

  private static String lastError() {
    virError e = Libvirt.INSTANCE.virGetLastError();
    String m = e == null || e.message == null ? "unknown error" : e.message;
    Libvirt.INSTANCE.virResetLastError();
    return m;
  }
}
