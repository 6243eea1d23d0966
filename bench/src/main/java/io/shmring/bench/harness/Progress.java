package io.shmring.bench.harness;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress display on stderr: on a terminal one line rewritten in place ({@code \r}) per phase;
 * otherwise one plain line per finished child run.
 */
final class Progress
{
    private final PrintStream out;
    private final boolean terminal;
    private final int totalRuns;
    private int runsDone;
    private int lastWidth;

    /**
     * @param out       where (stderr).
     * @param terminal  true to rewrite one line.
     * @param totalRuns child runs in the whole benchmark.
     */
    Progress(final PrintStream out, final boolean terminal, final int totalRuns)
    {
        this.out = out;
        this.terminal = terminal;
        this.totalRuns = totalRuns;
    }

    /**
     * A phase starts.
     */
    void phase(final String round, final String transport, final int size, final String mode)
    {
        if (terminal)
        {
            final String line = String.format(Locale.ROOT, "[%s] %s %dB %s (run %d/%d)", round, transport, size, mode,
                runsDone + 1, totalRuns);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            out.flush();
            lastWidth = line.length();
        }
    }

    /**
     * A child run ended.
     *
     * @param summary one line about it.
     */
    void runDone(final String round, final String transport, final String summary)
    {
        runsDone++;
        if (!terminal)
        {
            out.printf(Locale.ROOT, "[%s] %s: %s (run %d/%d)%n", round, transport, summary, runsDone, totalRuns);
            out.flush();
        }
    }

    /**
     * Clear the line before the results are printed.
     */
    void finish()
    {
        if (terminal)
        {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
        }
    }
}
