package org.virthooks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code virthooks} command: one subcommand per adapter, plus version and demo. */
@Command(
    name = "virthooks",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "One typed event model and one hook SPI for LDoms, libvirt and Xen.",
    subcommands = {
        VersionCommand.class,
        DemoCommand.class,
        XenCommand.class,
        LdmCommand.class,
        LibvirtCommand.class,
        RelayCommand.class,
        AgentCommand.class,
        KafkaCommand.class,
        CommandLine.HelpCommand.class
    })
public final class VirthooksCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new VirthooksCommand());
  }
}
