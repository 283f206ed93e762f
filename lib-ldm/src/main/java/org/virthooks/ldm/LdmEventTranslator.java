package org.virthooks.ldm;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventMeta;
import org.virthooks.core.EventStamper;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.VirtEvent;
import org.virthooks.ldm.model.Cmd;
import org.virthooks.ldm.model.Content;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.Envelope;
import org.virthooks.ldm.model.Item;
import org.virthooks.ldm.model.LdmEvent;

/**
 * Turns {@code LDM_event}s into lib-core events, one per {@code <cmd>}: the nine domain actions
 * into {@link DomainEvent}s, spconfig actions into {@link HardwareEvent}s, {@code migration-process}
 * into a {@link ProgressEvent}, the resource actions of the guide into {@link ResourceEvent}s.
 * Anything else, or a known action missing what it needs (a domain event without a domain), becomes
 * an {@link OtherEvent} with the raw action: nothing is dropped and nothing throws. Every generic
 * property read is also kept in the event's attributes, with {@code ldm.version}. Thread-safe.
 */
public final class LdmEventTranslator {
  /** The action of the only progress event. */
  public static final String MIGRATION_PROCESS = "migration-process";

  /** The domain actions of the guide and their kinds. */
  public static final Map<String, DomainEvent.Kind> DOMAIN_KINDS = ImmutableMap.<String, DomainEvent.Kind>builder()
      .put("add-domain", DomainEvent.Kind.DEFINED)
      .put("remove-domain", DomainEvent.Kind.UNDEFINED)
      .put("bind-domain", DomainEvent.Kind.BOUND)
      .put("unbind-domain", DomainEvent.Kind.UNBOUND)
      .put("start-domain", DomainEvent.Kind.STARTED)
      .put("stop-domain", DomainEvent.Kind.STOPPED)
      .put("domain-reset", DomainEvent.Kind.RESET)
      .put("panic-domain", DomainEvent.Kind.PANICKED)
      .put("migrate-domain", DomainEvent.Kind.MIGRATED)
      .build();

  /** The hardware actions of the guide and their operations. */
  public static final Map<String, Operation> SPCONFIG_OPERATIONS = ImmutableMap.of(
      "add-spconfig", Operation.ADD, "set-spconfig", Operation.SET, "remove-spconfig", Operation.REMOVE);

  /** The resource actions of the guide whose data also carries a section naming a service. */
  public static final ImmutableSet<String> SERVICE_ACTIONS = ImmutableSet.of(
      "add-vdiskserverdevice", "remove-vdiskserverdevice", "set-vdiskserverdevice",
      "remove-vdiskserver", "set-vconscon", "remove-vconscon", "set-vswitch", "remove-vswitch",
      "remove-vdpcs");

  /** The resource actions of the guide whose data names only the domain. */
  public static final ImmutableSet<String> DOMAIN_ONLY_RESOURCE_ACTIONS = ImmutableSet.of(
      "add-vcpu", "add-crypto", "add-memory", "add-io", "add-variable", "add-vconscon", "add-vdisk",
      "add-vdiskserver", "add-vnet", "add-vswitch", "add-vdpcs", "add-vdpcc", "set-vcpu",
      "set-crypto", "set-memory", "set-variable", "set-vnet", "set-vconsole", "set-vdisk",
      "remove-vcpu", "remove-crypto", "remove-memory", "remove-io", "remove-variable",
      "remove-vdisk", "remove-vnet", "remove-vdpcc");

  /** Every resource action of the guide with its operation and resource type. */
  public static final Map<String, ResourceAction> RESOURCE_ACTIONS = resourceActions();

  /** Generic-property keys that name a resource, most specific first. */
  private static final List<String> NAME_KEYS = List.of("vol_name", "vdisk_name", "vnet_name", "name");

  /**
   * What a resource action means.
   *
   * @param operation add, set or remove
   * @param resource the resource type
   */
  public record ResourceAction(Operation operation, ResourceType resource) {}

  private final EventStamper stamper;

  /** A translator stamping events with {@code stamper} (one per source). */
  public LdmEventTranslator(EventStamper stamper) {
    this.stamper = Objects.requireNonNull(stamper, "stamper");
  }

  /** The stamper, whose source names this connection. */
  public EventStamper stamper() {
    return stamper;
  }

  private static Map<String, ResourceAction> resourceActions() {
    ImmutableMap.Builder<String, ResourceAction> b = ImmutableMap.builder();
    for (String a : ImmutableSet.<String>builder().addAll(SERVICE_ACTIONS)
        .addAll(DOMAIN_ONLY_RESOURCE_ACTIONS).build()) {
      int dash = a.indexOf('-');
      Operation op = Operation.parse(a.substring(0, dash));
      ResourceType type = ResourceType.parse(a.substring(dash + 1));
      if (op == Operation.OTHER || type == ResourceType.OTHER) {
        throw new ExceptionInInitializerError("no core mapping for " + a);
      }
      b.put(a, new ResourceAction(op, type));
    }
    return b.build();
  }

  /** One event per command of {@code event}; an event without commands gives one other event. */
  public List<VirtEvent> translate(LdmEvent event) {
    List<VirtEvent> out = new ArrayList<>(1);
    String version = event.getVersion();
    if (event.getCommands().isEmpty()) {
      out.add(new OtherEvent(stamper.next("(none)", Map.of("ldm.error", "LDM_event without <cmd>")),
          Optional.empty()));
      return out;
    }
    for (Cmd cmd : event.getCommands()) {
      out.add(translate(cmd, version));
    }
    return out;
  }

  private VirtEvent translate(Cmd cmd, String version) {
    String action = cmd.getAction() == null || cmd.getAction().isBlank() ? "(none)" : cmd.getAction();
    Facts f = Facts.of(cmd);
    Map<String, String> attributes = new LinkedHashMap<>(f.properties);
    if (version != null) {
      attributes.putIfAbsent("ldm.version", version);
    }
    try {
      DomainEvent.Kind kind = DOMAIN_KINDS.get(action);
      if (kind != null && f.domain.isPresent()) {
        return DomainEvent.of(stamper.next(action, attributes), f.domain.get(), kind);
      }
      Operation spOp = SPCONFIG_OPERATIONS.get(action);
      if (spOp != null) {
        Item sp = f.item("spconfig");
        return HardwareEvent.spConfig(stamper.next(action, attributes), spOp,
            sp == null ? null : sp.property("spconfig_name").orElse(null),
            sp == null ? null : sp.property("spconfig_status").orElse(null));
      }
      if (MIGRATION_PROCESS.equals(action)) {
        return progress(action, f, attributes);
      }
      ResourceAction ra = RESOURCE_ACTIONS.get(action);
      if (ra != null) {
        return new ResourceEvent(stamper.next(action, attributes), f.domain, ra.operation(),
            ra.resource(), f.firstProperty(NAME_KEYS), f.firstProperty(List.of("service_name")));
      }
      if (kind != null) {
        attributes.put("ldm.error", "domain event without a domain name");
      }
    } catch (RuntimeException e) {
      // a value the model refuses (a blank domain name...) must not lose the event
      attributes.put("ldm.error", String.valueOf(e.getMessage()));
    }
    return new OtherEvent(stamper.next(action, attributes), f.domain);
  }

  private VirtEvent progress(String action, Facts f, Map<String, String> attributes) {
    Item info = f.item("ldom_info");
    Optional<String> progress = info == null ? Optional.empty() : info.property("progress");
    OptionalInt percent = OptionalInt.empty();
    if (progress.isPresent()) {
      try {
        percent = OptionalInt.of(ProgressEvent.parsePercent(progress.get()));
      } catch (IllegalArgumentException e) {
        attributes.put("ldm.error", e.getMessage());
      }
    }
    Optional<String> statusText = info == null ? Optional.empty() : info.property("status");
    ProgressEvent.Status status = ProgressEvent.Status.ONGOING;
    if (statusText.isPresent()) {
      try {
        status = ProgressEvent.Status.parse(statusText.get());
      } catch (IllegalArgumentException e) {
        // an unknown status word stays visible in the attributes; the migration still runs
        attributes.put("ldm.error", e.getMessage());
      }
    }
    Optional<String> reporter = info == null ? Optional.empty() : info.property("source");
    return new ProgressEvent(stamper.next(action, attributes), f.domain,
        ProgressEvent.Kind.MIGRATION, percent, status, reporter);
  }

  /** What one command's data says: its domain, its items and their properties. */
  private static final class Facts {
    Optional<DomainRef> domain = Optional.empty();
    final List<Item> items = new ArrayList<>();
    final Map<String, String> properties = new LinkedHashMap<>();

    static Facts of(Cmd cmd) {
      Facts f = new Facts();
      for (Data d : cmd.getData()) {
        Envelope e = d.getEnvelope();
        if (e == null) {
          continue;
        }
        if (f.domain.isEmpty()) {
          Optional<Content> c = e.firstDomain();
          if (c.isPresent()) {
            f.domain = Optional.of(DomainRef.of(c.get().getId()));
          }
        }
        f.items.addAll(e.allItems());
      }
      for (Item i : f.items) {
        i.propertyMap().forEach(f.properties::putIfAbsent);
      }
      return f;
    }

    Item item(String type) {
      for (Item i : items) {
        if (i.is(type)) {
          return i;
        }
      }
      return null;
    }

    Optional<String> firstProperty(List<String> keys) {
      for (String k : keys) {
        for (Item i : items) {
          Optional<String> v = i.property(k);
          if (v.isPresent() && !v.get().isEmpty()) {
            return v;
          }
        }
      }
      return Optional.empty();
    }
  }
}
