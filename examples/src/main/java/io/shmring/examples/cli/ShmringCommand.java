package io.shmring.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shmring} command line: {@code java -jar shmring.jar <subcommand>}.
 */
@Command(
    name = "shmring",
    mixinStandardHelpOptions = true,
    version = "shmring 0.1.0",
    description = "Shared-memory message rings between processes.",
    subcommands = { DemoCommand.class, CommandLine.HelpCommand.class })
public final class ShmringCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ShmringCommand()).execute(args));
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
