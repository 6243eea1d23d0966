package io.shmring.examples;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.ringbuffer.InvalidRingFileException;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * {@link Transports} with a short retry of an {@link InvalidRingFileException}, for the command line's
 * processes that open one shm ring at the same moment.
 * <p>
 * Why: the shm provider's create-or-open can refuse a ring its peer is creating right then. An opener that
 * reads the new file's length as 0 fails with "file too short"; if, by the time it re-checks, the creator
 * has sized the file but not yet published the magic, the provider takes the file for a bad one instead of
 * waiting for it. A second attempt a few milliseconds later sees the finished ring. A file that really is
 * not a ring fails every attempt and its error is thrown unchanged. (Workaround until the ringbuffer
 * module's ShmRingFiles re-reads the file rather than trusting the first "too short".)
 */
public final class TransportOpener
{
    private static final int ATTEMPTS = 4;
    private static final long RETRY_PAUSE_NS = 25_000_000L;

    private TransportOpener()
    {
    }

    /**
     * @param uri a transport URI.
     * @return a new publisher.
     */
    public static Publisher publisher(final String uri)
    {
        return open(uri, Transports::publisher);
    }

    /**
     * @param uri a transport URI.
     * @return a new subscriber.
     */
    public static Subscriber subscriber(final String uri)
    {
        return open(uri, Transports::subscriber);
    }

    private static <T> T open(final String uri, final Function<String, T> opener)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return opener.apply(uri);
            }
            catch (final InvalidRingFileException ex)
            {
                if (attempt == ATTEMPTS)
                {
                    throw ex;
                }
                LockSupport.parkNanos(RETRY_PAUSE_NS);
            }
        }
    }
}
