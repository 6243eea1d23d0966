package io.shmring.ringbuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (ring files, ends, child processes), closed in reverse order when the test ends.
 */
final class TrackedResources implements AutoCloseable
{
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * @return {@code resource}, to be closed at {@link #close()}.
     */
    <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        resources.clear();
    }
}
