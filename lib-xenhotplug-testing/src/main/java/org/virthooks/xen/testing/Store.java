package org.virthooks.xen.testing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.virthooks.xen.internal.XsPaths;

/**
 * What every session shares: the live tree, the sessions whose watches its changes fire, the
 * transaction ids and the commit counters. The store's monitor guards the tree, the ids and every
 * session's watches and transactions: sessions handle a request holding it.
 */
final class Store {
  private final int homeDomain;
  private final String homePath;
  private final Tree tree = Tree.empty();
  // concurrent: a session leaves from any thread, even while a change is being fired
  private final Set<XenstoreSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private int nextTx = 1;

  Store(int homeDomain) {
    this.homeDomain = homeDomain;
    this.homePath = "/local/domain/" + homeDomain;
    // xenstored starts with these; libxl and the scripts expect the domain homes to exist
    tree.write(0, homePath, null, Tree.Recorder.NONE);
    tree.write(0, "/tool/xenstored", null, Tree.Recorder.NONE);
  }

  int homeDomain() {
    return homeDomain;
  }

  /** {@code /local/domain/<home>}: where relative paths point. */
  String homePath() {
    return homePath;
  }

  /** The live tree; only with the store's monitor held. */
  Tree tree() {
    return tree;
  }

  synchronized int nextTransactionId() {
    return nextTx++;
  }

  void join(XenstoreSession s) {
    sessions.add(s);
  }

  void leave(XenstoreSession s) {
    sessions.remove(s);
  }

  /** Sends the watch events of a change (null: nothing changed) to every session. */
  synchronized void fire(Tree.Change change) {
    if (change == null) {
      return;
    }
    for (XenstoreSession s : sessions) {
      s.changed(change);
    }
  }

  void committed() {
    commits.incrementAndGet();
  }

  void conflicted() {
    conflicts.incrementAndGet();
  }

  long commitCount() {
    return commits.get();
  }

  long conflictCount() {
    return conflicts.get();
  }

  // ------------------------------------------------- direct access, for tests' set-up and checks

  synchronized Optional<String> read(String path) {
    Node n = tree.find(absolute(path));
    return n == null ? Optional.empty() : Optional.of(new String(n.value, StandardCharsets.UTF_8));
  }

  synchronized void write(String path, String value) {
    fire(tree.write(0, absolute(path), value.getBytes(StandardCharsets.UTF_8),
        Tree.Recorder.NONE));
  }

  synchronized void rm(String path) {
    String abs = absolute(path);
    if (tree.find(abs) != null) {
      fire(tree.rm(0, abs, Tree.Recorder.NONE));
    }
  }

  synchronized Map<String, String> dump(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    tree.dump(absolute(path), out);
    return out;
  }

  private String absolute(String path) {
    String p = XsPaths.check(path);
    return p.startsWith("/") ? p : homePath + "/" + p;
  }
}
