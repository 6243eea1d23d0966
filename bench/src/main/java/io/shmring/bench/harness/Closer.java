package io.shmring.bench.harness;

import java.util.function.Function;

/**
 * Closes several resources in order, closing every one even when an earlier one fails; closes a resource when what
 * was to be built on it fails.
 */
final class Closer
{
    private Closer()
    {
    }

    /**
     * @param resources to close in order; nulls are skipped.
     * @throws IllegalStateException carrying the first failure, the others suppressed.
     */
    static void closeAll(final AutoCloseable... resources)
    {
        RuntimeException failure = null;
        for (final AutoCloseable resource : resources)
        {
            if (resource == null)
            {
                continue;
            }
            try
            {
                resource.close();
            }
            catch (final Exception ex)
            {
                if (failure == null)
                {
                    failure = new IllegalStateException("close failed: " + resource, ex);
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * @param resource a resource this process just opened (e.g. a ring file).
     * @param use      builds something on it (e.g. attaches a ring end).
     * @param <R>      the resource's type.
     * @param <T>      what is built.
     * @return what {@code use} returned.
     * @throws RuntimeException whatever {@code use} throws, after closing {@code resource} (a failure to close is
     *                          added to it as suppressed).
     */
    static <R extends AutoCloseable, T> T applyOrClose(final R resource, final Function<R, T> use)
    {
        try
        {
            return use.apply(resource);
        }
        catch (final RuntimeException ex)
        {
            try
            {
                closeAll(resource);
            }
            catch (final RuntimeException closeFailure)
            {
                ex.addSuppressed(closeFailure);
            }
            throw ex;
        }
    }
}
