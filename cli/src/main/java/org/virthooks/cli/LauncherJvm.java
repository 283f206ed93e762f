package org.virthooks.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --jar} and {@code --java} of the jvm-mode installers: this JVM's own unless given. */
final class LauncherJvm {
  @Option(names = "--jar", description = "jvm mode: the virthooks-cli jar (default: this one).")
  Path jar;

  @Option(names = "--java", description = "jvm mode: the java to run (default: this one).")
  Path java;

  /** The jar the launcher runs, absolute. */
  Path jarPath() throws IOException {
    Path p = jar != null ? jar : ownJar();
    if (p == null) {
      throw new IOException("cannot tell which jar this is; give --jar");
    }
    return p.toAbsolutePath();
  }

  /** The java the launcher runs. */
  String javaCommand() {
    return java != null ? java.toString()
        : ProcessHandle.current().info().command().orElse("java");
  }

  // run from classes (tests, an IDE) there is no jar to point a launcher at
  private static Path ownJar() {
    try {
      Path p = Path.of(LauncherJvm.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      return p.toString().endsWith(".jar") ? p : null;
    } catch (Exception e) {
      return null;
    }
  }
}
