package io.shmring.ringbuffer;

import io.shmring.core.internal.MappedRegion;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that is a ring creator caught mid-creation, for {@link AbandonedTemporaryTest}: it makes the temporary
 * file of {@code PATH} ({@code LENGTH} bytes, as {@link RingFile#create} does first), prints
 * {@code CREATING <temporary file>}, and never publishes it: it waits to be killed.
 */
public final class CreatorChild
{
    private CreatorChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final MappedRegion region = MappedRegion.createToPublish(Path.of(args[0]), Long.parseLong(args[1]));
        System.out.println("CREATING " + region.path());
        System.out.flush();
        while (region.length() > 0)
        {
            TimeUnit.SECONDS.sleep(1);
        }
    }
}
