package org.virthooks.cli;

import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;

/** An installer call of a command: prints its sentence (status 0) or why it failed (status 1). */
@FunctionalInterface
interface InstallerCall {
  /** Installs or uninstalls; answers the sentence to print. */
  String run() throws IOException;

  /** Runs {@code call} for {@code command} and prints what came of it. */
  static int print(CommandSpec spec, String command, InstallerCall call) {
    try {
      spec.commandLine().getOut().println(call.run());
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println(command + ": " + e.getMessage());
      return 1;
    }
  }
}
