package org.virthooks.ldm.testing;

import com.google.common.collect.ImmutableList;
import java.util.Map;
import org.virthooks.ldm.LdmEventTranslator;
import org.virthooks.ldm.model.Content;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.Envelope;
import org.virthooks.ldm.model.Item;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.Section;

/**
 * A sample {@code LDM_event} for every event name of the LDoms 1.3 guide, shaped as the guide
 * describes: domain and plain resource events carry a {@code <Content>} naming the domain, service
 * resource events add a section with {@code service_name}, spconfig events a top-level section,
 * {@code migration-process} an {@code ldom_info} item with progress, status and source.
 */
public final class SeedEvents {
  /** The nine domain events. */
  public static final ImmutableList<String> DOMAIN =
      ImmutableList.copyOf(LdmEventTranslator.DOMAIN_KINDS.keySet());
  /** The three hardware (spconfig) events. */
  public static final ImmutableList<String> HARDWARE =
      ImmutableList.copyOf(LdmEventTranslator.SPCONFIG_OPERATIONS.keySet());
  /** The one progress event. */
  public static final ImmutableList<String> PROGRESS = ImmutableList.of(LdmEventTranslator.MIGRATION_PROCESS);
  /** The resource events whose data names a service. */
  public static final ImmutableList<String> RESOURCE_WITH_SERVICE =
      ImmutableList.copyOf(LdmEventTranslator.SERVICE_ACTIONS);
  /** The resource events whose data names only the domain. */
  public static final ImmutableList<String> RESOURCE_DOMAIN_ONLY =
      ImmutableList.copyOf(LdmEventTranslator.DOMAIN_ONLY_RESOURCE_ACTIONS);
  /** Every event name of the guide, in the order above. */
  public static final ImmutableList<String> ALL = ImmutableList.<String>builder()
      .addAll(DOMAIN).addAll(HARDWARE).addAll(PROGRESS).addAll(RESOURCE_WITH_SERVICE)
      .addAll(RESOURCE_DOMAIN_ONLY).build();

  /** The rasd:OtherResourceType ldmd uses for each resource of an action. */
  private static final Map<String, String> RASD_TYPES = Map.ofEntries(
      Map.entry("vcpu", "cpu"), Map.entry("crypto", "mau"), Map.entry("memory", "memory"),
      Map.entry("io", "physio_device"), Map.entry("variable", "var"), Map.entry("vconscon", "vcc"),
      Map.entry("vconsole", "vcons"), Map.entry("vdisk", "vdisk"), Map.entry("vdiskserver", "vds"),
      Map.entry("vdiskserverdevice", "vds_volume"), Map.entry("vnet", "network"),
      Map.entry("vswitch", "vsw"), Map.entry("vdpcs", "vdpcs"), Map.entry("vdpcc", "vdpcc"));

  private SeedEvents() {}

  /** A sample event for {@code action} on domain {@code domain} (ignored for spconfig events). */
  public static LdmEvent event(String action, String domain) {
    if (LdmEventTranslator.SPCONFIG_OPERATIONS.containsKey(action)) {
      return spconfig(action, "config-" + domain, "current");
    }
    if (LdmEventTranslator.MIGRATION_PROCESS.equals(action)) {
      return migration(domain, "45%", "ongoing", "host-a");
    }
    if (LdmEventTranslator.SERVICE_ACTIONS.contains(action)) {
      String resource = action.substring(action.indexOf('-') + 1);
      String type = RASD_TYPES.get(resource);
      Item item = resource.equals("vdiskserverdevice")
          ? Item.of(type, "service_name", "primary-vds0", "vol_name", "vol1", "block_dev", "/dev/zvol/dsk/v1")
          : Item.of(type, "service_name", "primary-" + type + "0");
      return LdmEvent.of(action, Data.of(Envelope.of(Content.domain(domain, Section.of(item)))));
    }
    if (LdmEventTranslator.DOMAIN_ONLY_RESOURCE_ACTIONS.contains(action)) {
      String resource = action.substring(action.indexOf('-') + 1);
      Item item = switch (resource) {
        case "vdisk" -> Item.of("vdisk", "vdisk_name", "disk0", "service_name", "primary-vds0");
        case "vnet" -> Item.of("network", "vnet_name", "net0", "service_name", "primary-vsw0");
        default -> null;
      };
      Content c = item == null ? Content.domain(domain) : Content.domain(domain, Section.of(item));
      return LdmEvent.of(action, Data.of(Envelope.of(c)));
    }
    // domain events and anything unknown: only the domain
    return LdmEvent.of(action, Data.of(Envelope.of(Content.domain(domain))));
  }

  /** An spconfig event. */
  public static LdmEvent spconfig(String action, String name, String status) {
    return LdmEvent.of(action, Data.of(Envelope.of(Section.of(
        Item.of("spconfig", "spconfig_name", name, "spconfig_status", status)))));
  }

  /** A {@code migration-process} event. */
  public static LdmEvent migration(String domain, String progress, String status, String source) {
    return LdmEvent.of(LdmEventTranslator.MIGRATION_PROCESS, Data.of(Envelope.of(Content.domain(
        domain, Section.of(Item.of("ldom_info", "progress", progress, "status", status, "source", source))))));
  }
}
