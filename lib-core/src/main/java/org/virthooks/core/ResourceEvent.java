package org.virthooks.core;

import java.util.Optional;
import org.virthooks.core.internal.Checks;

/**
 * A resource was added, changed or removed: LDoms {@code add-vdisk}, libvirt device and network
 * events, Xen hotplug devices.
 *
 * @param meta source, time, sequence number, raw action
 * @param domain the domain owning the resource, when there is one (a network has none)
 * @param operation add, set, remove...
 * @param resource what kind of resource
 * @param name the resource's own name (device alias, network name, vdisk name), when known
 * @param service the service the resource belongs to (LDoms {@code service_name}), when known
 */
public record ResourceEvent(
    EventMeta meta,
    Optional<DomainRef> domain,
    Operation operation,
    ResourceType resource,
    Optional<String> name,
    Optional<String> service) implements VirtEvent {

  /** Validates the fields. */
  public ResourceEvent {
    Checks.notNull("meta", meta);
    domain = domain == null ? Optional.empty() : domain;
    Checks.notNull("operation", operation);
    Checks.notNull("resource", resource);
    name = name == null ? Optional.empty() : name;
    service = service == null ? Optional.empty() : service;
  }

  /** A resource event for a domain, without name or service. */
  public static ResourceEvent of(
      EventMeta meta, DomainRef domain, Operation operation, ResourceType resource) {
    return new ResourceEvent(meta, Optional.ofNullable(domain), operation, resource,
        Optional.empty(), Optional.empty());
  }

  /** A copy naming the resource. */
  public ResourceEvent withName(String newName) {
    return new ResourceEvent(meta, domain, operation, resource, Optional.ofNullable(newName), service);
  }

  /** A copy naming the service. */
  public ResourceEvent withService(String newService) {
    return new ResourceEvent(meta, domain, operation, resource, name, Optional.ofNullable(newService));
  }

  @Override
  public EventCategory category() {
    return EventCategory.RESOURCE;
  }

  /** {@code add-vdisk}, {@code remove-network}...; {@code other} when either part is unknown. */
  @Override
  public String kindName() {
    if (operation == Operation.OTHER || resource == ResourceType.OTHER) {
      return "other";
    }
    return operation.jsonName() + "-" + resource.jsonName();
  }

  @Override
  public Optional<DomainRef> optionalDomain() {
    return domain;
  }
}
