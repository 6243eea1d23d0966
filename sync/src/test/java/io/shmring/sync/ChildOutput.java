package io.shmring.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a child JVM still had to say when its parent's side of a test failed, for the failure message.
 */
public final class ChildOutput
{
    private ChildOutput()
    {
    }

    /**
     * The child's remaining stdout lines if it has exited (or exits within a second); otherwise kill it, since
     * it is waiting for a parent that gave up, and say so.
     */
    public static String rest(final Process child, final BufferedReader stdout)
    {
        try
        {
            if (!child.waitFor(1, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
                return "still running, killed";
            }
            final List<String> lines = new ArrayList<>();
            for (String line = stdout.readLine(); line != null; line = stdout.readLine())
            {
                lines.add(line);
            }
            return "exit " + child.exitValue() + ", said " + lines;
        }
        catch (final IOException ex)
        {
            return "unreadable: " + ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
