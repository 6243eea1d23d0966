package io.shmring.bench.harness;

/**
 * Closes several resources in order, closing every one even when an earlier one fails.
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
}
