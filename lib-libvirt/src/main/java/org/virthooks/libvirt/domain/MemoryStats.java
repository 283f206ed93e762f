package org.virthooks.libvirt.domain;

import java.util.Map;
import java.util.OptionalLong;

/**
 * A guest's memory statistics (virDomainMemoryStats; Sys::Virt's {@code memory_stats}): the
 * figures the hypervisor reported, and those of tags this version does not know by number.
 *
 * @param values the known figures by tag
 * @param unknownTags figures of newer tags, by libvirt's number
 */
public record MemoryStats(Map<MemoryStatTag, Long> values, Map<Integer, Long> unknownTags) {

  /** Copies the maps. */
  public MemoryStats {
    values = Map.copyOf(values);
    unknownTags = Map.copyOf(unknownTags);
  }

  /** The figure of this tag, empty when the hypervisor did not report it. */
  public OptionalLong get(MemoryStatTag tag) {
    Long v = values.get(tag);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
