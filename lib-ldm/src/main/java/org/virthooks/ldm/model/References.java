package org.virthooks.ldm.model;

/** OVF {@code <References/>}: always empty in the ldmd interface; its children are ignored. */
public final class References {
  /** An empty element. */
  public References() {}
}
