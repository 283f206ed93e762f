package org.virthooks.xen;

import java.io.IOException;
import java.util.List;
import org.virthooks.xen.internal.Frame;
import org.virthooks.xen.internal.XsPaths;
import org.virthooks.xen.internal.XsType;

/**
 * An open xenstore transaction: its operations see a snapshot and become visible to others only
 * at {@link #commit()}, which fails with {@code EAGAIN} when another change conflicted.
 * {@link #close()} aborts a transaction not yet ended.
 */
public final class XenstoreTransaction implements Xenstore, AutoCloseable {
  private final XenstoreClient client;
  private final int id;
  private boolean ended;

  XenstoreTransaction(XenstoreClient client, int id) {
    this.client = client;
    this.id = id;
  }

  /** The transaction id the daemon gave. */
  public int id() {
    return id;
  }

  @Override
  public byte[] readBytes(String path) throws IOException {
    return client.call(XsType.READ, id, Frame.strings(XsPaths.check(path)), "read " + path)
        .payload();
  }

  @Override
  public void write(String path, byte[] value) throws IOException {
    client.write(id, path, value);
  }

  @Override
  public void mkdir(String path) throws IOException {
    client.call(XsType.MKDIR, id, Frame.strings(XsPaths.check(path)), "mkdir " + path);
  }

  @Override
  public void rm(String path) throws IOException {
    client.call(XsType.RM, id, Frame.strings(XsPaths.check(path)), "rm " + path);
  }

  @Override
  public List<String> directory(String path) throws IOException {
    return client.directory(id, path);
  }

  @Override
  public List<XsPermission> getPermissions(String path) throws IOException {
    return client.getPermissions(id, path);
  }

  @Override
  public void setPermissions(String path, List<XsPermission> permissions) throws IOException {
    client.setPermissions(id, path, permissions);
  }

  /**
   * Commits.
   *
   * @throws XenstoreException with {@link XenstoreException#isConflict()} when it must be retried
   */
  public void commit() throws IOException {
    end(true);
  }

  /** Abandons the changes. */
  public void abort() throws IOException {
    end(false);
  }

  private void end(boolean commit) throws IOException {
    if (ended) {
      throw new IllegalStateException("transaction " + id + " has already ended");
    }
    ended = true;
    client.call(XsType.TRANSACTION_END, id, Frame.strings(commit ? "T" : "F"),
        (commit ? "commit" : "abort") + " transaction " + id);
  }

  /** Aborts when neither committed nor aborted; a broken connection has ended it anyway. */
  @Override
  public void close() throws IOException {
    if (!ended) {
      try {
        abort();
      } catch (XenstoreException e) {
        // the daemon no longer knows it: nothing left to abort
      }
    }
  }
}
