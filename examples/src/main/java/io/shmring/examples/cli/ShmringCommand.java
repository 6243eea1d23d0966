package io.shmring.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.concurrent.Callable;

/**
 * The {@code shmring} command line: {@code java -jar shmring.jar <subcommand>}.
 * <p>
 * Exit codes: 0 success, 1 an error (one line on stderr; {@code --verbose} adds the stack trace),
 * 2 a usage error, and for {@code recv} 3 when its {@code --timeout} ended it.
 */
@Command(
    name = "shmring",
    mixinStandardHelpOptions = true,
    versionProvider = BuildVersion.class,
    description = "Shared-memory message rings between processes.",
    subcommands = {
        DemoCommand.class, PingPongCommand.class, StatCommand.class, ListCommand.class, CleanCommand.class, SendCommand.class,
        RecvCommand.class, BridgeCommand.class,
        CommandLine.HelpCommand.class })
public final class ShmringCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
        description = "On an error, print the stack trace too.")
    private boolean verbose;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * @return the command line with its error reporting installed; tests run it in-process through this.
     */
    public static CommandLine newCommandLine()
    {
        return new CommandLine(new ShmringCommand()).setExecutionExceptionHandler(new ErrorReporter())
            .setExecutionStrategy(ErrorReporter::executeCatchingFaults);
    }

    /**
     * {@code shmring} with no subcommand: the usage on stderr, as for any other usage error.
     *
     * @return {@link CommandLine.ExitCode#USAGE} (2).
     */
    @Override
    public Integer call()
    {
        spec.commandLine().getErr().println("shmring: a command is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
