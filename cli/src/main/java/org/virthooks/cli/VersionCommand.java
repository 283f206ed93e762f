package org.virthooks.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code virthooks version}: prints the version of the library and of the JVM. */
@Command(name = "version", description = "Print the virthooks version.")
public final class VersionCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }

  /** The version lines, from the jar manifest (or "development" when run from classes). */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VirthooksCommand.class.getPackage().getImplementationVersion();
      return new String[] {
          "virthooks " + (v == null ? "development" : v),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
