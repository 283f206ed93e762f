package org.virthooks.xen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The node operations of xenstore, the same inside and outside a transaction. Paths are absolute
 * ({@code /local/domain/0/backend}) or relative to the connection's home
 * ({@code backend/vbd/1/51712}). Values are bytes; the {@code String} methods use UTF-8.
 */
public interface Xenstore {
  /** The raw value of a node. */
  byte[] readBytes(String path) throws IOException;

  /** Writes a node's raw value, creating it and missing parents. */
  void write(String path, byte[] value) throws IOException;

  /** Creates a node with an empty value; no error when it exists. */
  void mkdir(String path) throws IOException;

  /** Removes a node and everything below it; no error when it does not exist but its parent does. */
  void rm(String path) throws IOException;

  /** The names of a node's children, in xenstore's order. */
  List<String> directory(String path) throws IOException;

  /** The node's permissions, owner first. */
  List<XsPermission> getPermissions(String path) throws IOException;

  /** Replaces the node's permissions (the first entry names the owner). */
  void setPermissions(String path, List<XsPermission> permissions) throws IOException;

  /** The value of a node, UTF-8. */
  default String read(String path) throws IOException {
    return new String(readBytes(path), StandardCharsets.UTF_8);
  }

  /** The value of a node, or empty when it does not exist. */
  default Optional<String> tryRead(String path) throws IOException {
    try {
      return Optional.of(read(path));
    } catch (XenstoreException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** True when the node exists. */
  default boolean exists(String path) throws IOException {
    return tryRead(path).isPresent();
  }

  /** Writes a node's value, UTF-8. */
  default void write(String path, String value) throws IOException {
    write(path, value.getBytes(StandardCharsets.UTF_8));
  }
}
