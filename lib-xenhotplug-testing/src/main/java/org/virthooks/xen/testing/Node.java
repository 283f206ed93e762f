package org.virthooks.xen.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virthooks.xen.XsPermission;

/** One node of the tree: value, permissions (owner first), children in creation order. */
final class Node {
  byte[] value;
  List<XsPermission> perms;
  final Map<String, Node> children = new LinkedHashMap<>();
  /** Changes whenever the value, the permissions or the set of children change. */
  long gen;

  Node(byte[] value, List<XsPermission> perms, long gen) {
    this.value = value;
    this.perms = List.copyOf(perms);
    this.gen = gen;
  }

  Node deepCopy() {
    Node n = new Node(value, perms, gen);
    children.forEach((k, v) -> n.children.put(k, v.deepCopy()));
    return n;
  }

  /** What {@code domid} may do here: owner and dom0 everything, else its entry or the default. */
  XsPermission.Access accessOf(int domid) {
    if (domid == 0 || perms.get(0).domid() == domid) {
      return XsPermission.Access.BOTH;
    }
    for (int i = 1; i < perms.size(); i++) {
      if (perms.get(i).domid() == domid) {
        return perms.get(i).access();
      }
    }
    return perms.get(0).access();
  }

  /** The permissions of a child created by {@code domid}: these, owned by it when unprivileged. */
  List<XsPermission> inheritedBy(int domid) {
    if (domid == 0) {
      return perms;
    }
    List<XsPermission> p = new ArrayList<>(perms);
    p.set(0, new XsPermission(domid, perms.get(0).access()));
    return p;
  }
}
