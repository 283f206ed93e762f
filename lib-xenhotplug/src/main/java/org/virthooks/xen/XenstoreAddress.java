package org.virthooks.xen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where a xenstore client connects, chosen the way libxenstore chooses: {@code XENSTORED_PATH}
 * when set (a socket, or a device with the same framing), else {@code XENSTORED_RUNDIR/socket},
 * else {@code /var/run/xenstored/socket}; failing the socket, the xenbus device.
 *
 * @param path the socket or device
 * @param device true for a character device ({@code /dev/xen/xenbus}), false for a Unix socket
 */
public record XenstoreAddress(Path path, boolean device) {
  /** The daemon's socket when nothing says otherwise. */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/xenstored/socket");
  private static final List<Path> DEVICES =
      List.of(Path.of("/dev/xen/xenbus"), Path.of("/proc/xen/xenbus"));

  /** A Unix socket address. */
  public static XenstoreAddress socket(Path path) {
    return new XenstoreAddress(path, false);
  }

  /** Resolves from the process environment and the file system. */
  public static XenstoreAddress resolve() {
    return resolve(System.getenv());
  }

  /** Resolves from {@code env} and the file system. */
  public static XenstoreAddress resolve(Map<String, String> env) {
    return resolve(env, Files::exists);
  }

  /** Resolves from {@code env}, asking {@code exists} about files (tests pass their own). */
  public static XenstoreAddress resolve(Map<String, String> env, Predicate<Path> exists) {
    String explicit = env.get("XENSTORED_PATH");
    if (explicit != null && !explicit.isEmpty()) {
      Path p = Path.of(explicit);
      // libxenstore stats the path: a socket is connected to, anything else opened as a device
      boolean dev = exists.test(p) && !Files.isDirectory(p) && isCharDevice(p);
      return new XenstoreAddress(p, dev);
    }
    String rundir = env.get("XENSTORED_RUNDIR");
    Path sock = rundir != null && !rundir.isEmpty()
        ? Path.of(rundir, "socket") : DEFAULT_SOCKET;
    if (exists.test(sock)) {
      return socket(sock);
    }
    for (Path d : DEVICES) {
      if (exists.test(d)) {
        return new XenstoreAddress(d, true);
      }
    }
    return socket(sock);
  }

  private static boolean isCharDevice(Path p) {
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      return (mode & 0170000) == 0020000;
    } catch (Exception e) {
      return false;
    }
  }
}
