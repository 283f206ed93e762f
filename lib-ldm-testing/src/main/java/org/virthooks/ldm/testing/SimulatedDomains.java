package org.virthooks.ldm.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.virthooks.ldm.model.Content;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.Envelope;
import org.virthooks.ldm.model.Item;
import org.virthooks.ldm.model.Section;

/**
 * The simulator's own view of its domains and their states ({@code inactive}, {@code bound},
 * {@code active}), kept from the domain events it sends, so that it answers {@code list-domain}
 * as ldmd would after an outage: what is true now. Thread-safe.
 */
final class SimulatedDomains {
  private final Map<String, String> states = new LinkedHashMap<>();

  /** Sets a domain's state, or forgets the domain when {@code state} is null. */
  synchronized void set(String domain, String state) {
    if (state == null) {
      states.remove(domain);
    } else {
      states.put(domain, state);
    }
  }

  /** What a domain event of {@code action} does to {@code domain}'s state. */
  synchronized void apply(String action, String domain) {
    switch (action) {
      case "add-domain", "unbind-domain" -> states.put(domain, "inactive");
      case "bind-domain", "stop-domain" -> states.put(domain, "bound");
      case "start-domain", "domain-reset" -> states.put(domain, "active");
      case "remove-domain", "migrate-domain" -> states.remove(domain); // gone from this host
      default -> {
        // panic-domain and resource events leave the state as it was
      }
    }
  }

  /** A copy of every domain's state, in the order they were first seen. */
  synchronized Map<String, String> snapshot() {
    return new LinkedHashMap<>(states);
  }

  /** The {@code list-domain} answer's data: one per domain, its state in {@code ldom_info}. */
  synchronized java.util.List<Data> listDomain() {
    java.util.List<Data> out = new java.util.ArrayList<>();
    states.forEach((name, state) -> out.add(Data.of(Envelope.of(Content.domain(name,
        Section.of(Item.of("ldom_info", "state", state)))))));
    return out;
  }
}
