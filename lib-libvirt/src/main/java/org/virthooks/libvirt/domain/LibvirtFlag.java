package org.virthooks.libvirt.domain;

import java.util.Set;

/** A libvirt flag bit (or a value with no bit, such as {@code CURRENT}); sets of them are OR'ed. */
public interface LibvirtFlag {
  /** libvirt's value of the flag. */
  int value();

  /** The flags OR'ed together, as libvirt takes them; 0 for an empty set. */
  static int mask(Set<? extends LibvirtFlag> flags) {
    int m = 0;
    for (LibvirtFlag f : flags) {
      m |= f.value();
    }
    return m;
  }
}
