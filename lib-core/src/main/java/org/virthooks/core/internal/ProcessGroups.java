package org.virthooks.core.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes of a session on Linux through /proc. A script started in a session of its
 * own (with setsid) leaves its background children in that session even after they are
 * re-parented to init, which is the only way left to find and kill them.
 */
public final class ProcessGroups {
  private static final Path PROC = Path.of("/proc");
  private static final Path SETSID = findSetsid();

  private ProcessGroups() {}

  /** The setsid executable, or null when this system has none (then children are found by polling). */
  public static Path setsid() {
    return SETSID;
  }

  /** Live processes whose session id is {@code sid}, excluding none. Empty where /proc is missing. */
  public static List<ProcessHandle> inSession(long sid) {
    List<ProcessHandle> found = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return found;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path p : ds) {
        long session = sessionOf(p.resolve("stat"));
        if (session == sid) {
          ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      // /proc unreadable: nothing found is the honest answer
    }
    return found;
  }

  private static long sessionOf(Path stat) {
    try {
      String s = Files.readString(stat);
      // the command name may hold spaces and parentheses: fields start after the last ')'
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[3]); // state ppid pgrp session
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static Path findSetsid() {
    for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
      Path p = Path.of(dir, "setsid");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
