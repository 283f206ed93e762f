package org.virthooks.xen.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.virthooks.xen.XsPermission;

/**
 * The node tree with xenstored's semantics for each operation. The same code serves the live
 * tree and a transaction's private copy; a {@link Recorder} notes what a transaction touched.
 */
final class Tree {
  /** Notes each node a transaction touched, with its generation before the change (-1: absent). */
  interface Recorder {
    void touch(String path, long gen);

    Recorder NONE = (p, g) -> {};
  }

  /** A change that fires watches: the node, whether it was removed, its permissions. */
  record Change(String path, boolean removal, List<XsPermission> perms) {}

  private final Node root;
  private long gen;

  Tree(Node root, long gen) {
    this.root = root;
    this.gen = gen;
  }

  static Tree empty() {
    return new Tree(new Node(new byte[0], List.of(new XsPermission(0, XsPermission.Access.NONE)),
        0), 0);
  }

  Tree copy() {
    return new Tree(root.deepCopy(), gen);
  }

  long generation() {
    return gen;
  }

  Node find(String path) {
    Node n = root;
    if (path.equals("/")) {
      return n;
    }
    for (String part : path.substring(1).split("/")) {
      n = n.children.get(part);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  private static String parentOf(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private Node readable(int dom, String path, Recorder rec) {
    Node n = find(path);
    rec.touch(path, n == null ? -1 : n.gen);
    if (n == null) {
      throw new XsError("ENOENT");
    }
    if (!n.accessOf(dom).canRead()) {
      throw new XsError("EACCES");
    }
    return n;
  }

  byte[] read(int dom, String path, Recorder rec) {
    return readable(dom, path, rec).value;
  }

  List<String> directory(int dom, String path, Recorder rec) {
    return new ArrayList<>(readable(dom, path, rec).children.keySet());
  }

  List<XsPermission> getPerms(int dom, String path, Recorder rec) {
    return readable(dom, path, rec).perms;
  }

  /** Writes (or with {@code value == null}, makes sure it exists as mkdir does). */
  Change write(int dom, String path, byte[] value, Recorder rec) {
    if (path.equals("/")) {
      if (value == null) {
        return null;
      }
      throw new XsError("EINVAL");
    }
    Node n = find(path);
    if (n != null) {
      rec.touch(path, n.gen);
      if (!n.accessOf(dom).canWrite()) {
        throw new XsError("EACCES");
      }
      if (value == null) {
        return null;
      }
      n.value = value;
      n.gen = ++gen;
      return new Change(path, false, n.perms);
    }
    // find the deepest existing ancestor: the new nodes hang below it and inherit its permissions
    List<String> missing = new ArrayList<>();
    String p = path;
    Node anc;
    while ((anc = find(p)) == null) {
      missing.add(0, p);
      rec.touch(p, -1);
      p = parentOf(p);
    }
    rec.touch(p, anc.gen);
    if (!anc.accessOf(dom).canWrite()) {
      throw new XsError("EACCES");
    }
    long g = ++gen;
    anc.gen = g;
    Node parent = anc;
    for (String m : missing) {
      Node child = new Node(new byte[0], parent.inheritedBy(dom), g);
      parent.children.put(nameOf(m), child);
      parent = child;
    }
    if (value != null) {
      parent.value = value;
    }
    return new Change(path, false, parent.perms);
  }

  Change rm(int dom, String path, Recorder rec) {
    if (path.equals("/")) {
      throw new XsError("EINVAL");
    }
    Node n = find(path);
    String pp = parentOf(path);
    Node parent = find(pp);
    rec.touch(path, n == null ? -1 : n.gen);
    rec.touch(pp, parent == null ? -1 : parent.gen);
    if (n == null) {
      // xenstored: removing what is already gone is fine as long as the parent exists
      if (parent == null) {
        throw new XsError("ENOENT");
      }
      return null;
    }
    if (!n.accessOf(dom).canWrite()) {
      throw new XsError("EACCES");
    }
    parent.children.remove(nameOf(path));
    parent.gen = ++gen;
    return new Change(path, true, n.perms);
  }

  Change setPerms(int dom, String path, List<XsPermission> perms, Recorder rec) {
    Node n = find(path);
    rec.touch(path, n == null ? -1 : n.gen);
    if (n == null) {
      throw new XsError("ENOENT");
    }
    if (dom != 0 && n.perms.get(0).domid() != dom) {
      throw new XsError("EACCES");
    }
    n.perms = List.copyOf(perms);
    n.gen = ++gen;
    return new Change(path, false, n.perms);
  }

  /** Every node below {@code path} (itself included) with its value, in tree order. */
  void dump(String path, Map<String, String> out) {
    Node n = find(path);
    if (n != null) {
      dump(path, n, out);
    }
  }

  private static void dump(String path, Node n, Map<String, String> out) {
    out.put(path, new String(n.value, java.nio.charset.StandardCharsets.UTF_8));
    n.children.forEach((k, c) -> dump(path.equals("/") ? "/" + k : path + "/" + k, c, out));
  }
}
