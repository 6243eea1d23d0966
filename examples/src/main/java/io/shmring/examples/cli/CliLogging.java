package io.shmring.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How the command line prints what the library logs (java.util.logging, behind {@link System.Logger}): each
 * record as one line on stderr, {@code shmring: LEVEL: message}; library detail (level FINE, e.g. what the
 * embedded Aeron media driver reports, with its stack trace) only with {@code --verbose}.
 */
final class CliLogging
{
    /** Held, so the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final Logger LIBRARY = Logger.getLogger("io.shmring");

    private CliLogging()
    {
    }

    /**
     * Set up the root logger's handlers; call before the command runs.
     *
     * @param verbose true to print library detail (FINE) and stack traces too.
     */
    static void configure(final boolean verbose)
    {
        final Formatter format = new OneLine(verbose);
        for (final Handler handler : Logger.getLogger("").getHandlers())
        {
            handler.setFormatter(format);
            if (verbose)
            {
                handler.setLevel(Level.FINE);
            }
        }
        if (verbose)
        {
            LIBRARY.setLevel(Level.FINE);
        }
    }

    private static final class OneLine extends Formatter
    {
        private final boolean withStackTrace;

        OneLine(final boolean withStackTrace)
        {
            this.withStackTrace = withStackTrace;
        }

        @Override
        public String format(final LogRecord record)
        {
            final StringBuilder line = new StringBuilder("shmring: ").append(record.getLevel().getName().toLowerCase())
                .append(": ").append(formatMessage(record).replace('\n', ' '));
            final Throwable thrown = record.getThrown();
            if (thrown != null)
            {
                line.append(": ").append(thrown);
                if (withStackTrace)
                {
                    final StringWriter trace = new StringWriter();
                    thrown.printStackTrace(new PrintWriter(trace));
                    line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                }
            }
            return line.append(System.lineSeparator()).toString();
        }
    }
}
