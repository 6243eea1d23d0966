package io.shmring.examples.cli;

import io.shmring.core.ShmringException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns an exception thrown by a subcommand into one line on stderr, {@code shmring <subcommand>: <message>},
 * and exit code 1. The stack trace follows only with {@code --verbose}. Exceptions that are not the
 * expected kinds of bad input or conditions of the world (bad URI, missing, invalid or insecure file, a
 * refusing or untrusted peer, I/O: every {@link ShmringException}) say their class, since their message
 * alone may not explain them.
 * <p>
 * A fault inside mapped memory (a ring file truncated while mapped) reaches Java as an {@link InternalError}, which
 * picocli does not hand to an exception handler: {@link #executeCatchingFaults} turns it into one line too.
 */
final class ErrorReporter implements IExecutionExceptionHandler
{
    static final String VERBOSE_OPTION = "--verbose";

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
        if (isVerbose(parseResult))
        {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /**
     * Report an error about one of several targets and let the command go on with the others: the same one line (and,
     * with {@code --verbose}, the stack trace) as an error that ends a command.
     *
     * @param spec    the running subcommand.
     * @param subject what failed (a path), or null if the message names it.
     * @param ex      the error.
     */
    static void reportAndContinue(final CommandLine.Model.CommandSpec spec, final Object subject, final Exception ex)
    {
        final PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + (subject == null ? "" : subject + ": ") + describe(ex));
        if (isVerbose(spec.root().commandLine().getParseResult()))
        {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    /** What the one line says for a fault in mapped memory. */
    static final String MAPPED_FAULT = "ring file changed size while mapped (truncated by another process: unsupported)";

    /**
     * Run the parsed command as picocli's default strategy does, turning an {@link InternalError} from a fault in mapped
     * memory into an exception the handler prints as one line.
     *
     * @param parseResult the parsed command line.
     * @return the command's exit code.
     */
    static int executeCatchingFaults(final ParseResult parseResult)
    {
        CliLogging.configure(isVerbose(parseResult)); // what the library logs: one line each, detail only with --verbose
        try
        {
            return new CommandLine.RunLast().execute(parseResult);
        }
        catch (final InternalError ex)
        {
            if (!isMappedFault(ex))
            {
                throw ex;
            }
            final List<CommandLine> commands = parseResult.asCommandLineList();
            throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), MAPPED_FAULT,
                new IllegalStateException(MAPPED_FAULT + ": " + ex.getMessage(), ex));
        }
    }

    /**
     * @param ex an error.
     * @return true if the JVM raised it for a fault (SIGBUS) in a Java access to mapped memory.
     */
    static boolean isMappedFault(final Throwable ex)
    {
        return ex instanceof InternalError && ex.getMessage() != null && ex.getMessage().contains("unsafe memory access");
    }

    static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        final boolean expected = ex instanceof IllegalArgumentException || ex instanceof IllegalStateException || ex instanceof ShmringException ||
            ex instanceof IOException || ex instanceof UncheckedIOException || ex instanceof UnsupportedOperationException;
        if (expected && message != null && !message.isEmpty())
        {
            final Throwable cause = ex.getCause();
            return ex instanceof UncheckedIOException && cause != null ?
                message + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : message;
        }
        return ex.getClass().getName() + (message == null ? "" : ": " + message) + " (" + VERBOSE_OPTION + " shows the stack trace)";
    }

    private static boolean isVerbose(final ParseResult parseResult)
    {
        for (ParseResult level = parseResult; level != null; level = level.subcommand())
        {
            if (level.hasMatchedOption(VERBOSE_OPTION))
            {
                return true;
            }
        }
        return false;
    }
}
