package org.virthooks.xen.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * An open transaction: a private copy of the tree, the generation of every node it looked at, and
 * its changes, replayed on the live tree at commit.
 */
final class Transaction implements Tree.Recorder {
  /** A change to a tree, recording what it looks at with the recorder it is given. */
  interface Op extends BiFunction<Tree, Tree.Recorder, Tree.Change> {}

  private final Tree tree;
  private final Map<String, Long> touched = new HashMap<>();
  private final List<Op> ops = new ArrayList<>();

  Transaction(Tree live) {
    this.tree = live.copy();
  }

  /** The transaction's own copy, which its reads see. */
  Tree tree() {
    return tree;
  }

  @Override
  public void touch(String path, long gen) {
    touched.putIfAbsent(path, gen);
  }

  /** Applies a change to the copy (a refusal throws, as it would live) and keeps it for commit. */
  void apply(Op op) {
    op.apply(tree, this);
    ops.add(op);
  }

  /** Whether a node the transaction looked at has changed in the live tree since. */
  boolean conflictsWith(Tree live) {
    for (Map.Entry<String, Long> e : touched.entrySet()) {
      Node now = live.find(e.getKey());
      if ((now == null ? -1 : now.gen) != e.getValue()) {
        return true;
      }
    }
    return false;
  }

  /** Replays the changes on the live tree, handing each to {@code fire} for its watches. */
  void replayOn(Tree live, Consumer<Tree.Change> fire) {
    // nothing the transaction looked at changed (conflictsWith), so replaying gives its result
    for (Op op : ops) {
      fire.accept(op.apply(live, Tree.Recorder.NONE));
    }
  }
}
