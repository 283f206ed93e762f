package org.virthooks.xen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real loop devices for tests: attaches image files and detaches whatever is left at the end. */
final class LoopFiles implements AutoCloseable {
  private final List<Path> files = new ArrayList<>();

  /** A 1 MiB image file in {@code dir}. */
  Path image(Path dir, String name) throws IOException {
    Path f = dir.resolve(name);
    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(0);
      ch.position((1 << 20) - 1);
      ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
    }
    files.add(f);
    return f;
  }

  /** Attaches {@code file} to a free loop device and returns the device. */
  Path attach(Path file) throws Exception {
    String out = exec("losetup", "-f", "--show", file.toString()).strip();
    return Path.of(out);
  }

  /** Loop devices currently backed by {@code file}. */
  static List<String> loopsOf(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : exec("losetup", "-j", file.toString()).split("\n")) {
      if (line.startsWith("/dev/")) {
        out.add(line.substring(0, line.indexOf(':')));
      }
    }
    return out;
  }

  static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IOException("timed out: " + List.of(cmd));
      }
      String out = new String(p.getInputStream().readAllBytes());
      if (p.exitValue() != 0) {
        throw new IOException(List.of(cmd) + " failed: " + out);
      }
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  @Override
  public void close() throws Exception {
    for (Path f : files) {
      for (String loop : loopsOf(f)) {
        exec("losetup", "-d", loop);
      }
    }
  }
}
