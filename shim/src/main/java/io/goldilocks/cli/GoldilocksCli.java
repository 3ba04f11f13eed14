package io.goldilocks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code goldilocks} command: runs commands in fresh guest VMs through the same {@code Sandbox} code the
 * containerd shim uses. Useful to debug a guest and in tests.
 */
@Command(
    name = "goldilocks",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    subcommands = {RunCommand.class, BundlesCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
    description = "Runs containers in their own guest VMs.")
public final class GoldilocksCli implements Runnable {
  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /** Logging configuration of the CLI: stderr only, so stdout is the command's. */
  static final String LOGBACK_CONFIG = "io/goldilocks/cli/logback-cli.xml";

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG); // before the first logger exists
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also for tests). */
  public static CommandLine commandLine() {
    return new CommandLine(new GoldilocksCli()).setUnmatchedOptionsArePositionalParams(false)
        .setStopAtPositional(false);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
