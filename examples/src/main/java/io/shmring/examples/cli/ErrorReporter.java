package io.shmring.examples.cli;

import io.shmring.core.ShmringException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns an exception thrown by a subcommand into one line on stderr, {@code shmring <subcommand>: <message>},
 * and exit code 1. The stack trace follows only with {@code --verbose}. Exceptions that are not the
 * expected kinds of bad input or conditions of the world (bad URI, missing, invalid or insecure file, a
 * refusing or untrusted peer, I/O: every {@link ShmringException}) say their class, since their message
 * alone may not explain them.
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
