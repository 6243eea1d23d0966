package io.shmring.core.contract;

import io.shmring.core.Publisher;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic message sequence a publisher sends and a subscriber checks, the same in a thread or
 * in a child JVM. Every scenario ends by closing the publisher (the subscriber must then see the end of
 * the stream).
 */
public enum Scenario
{
    /** Many small messages, alternating offer and claim/commit. */
    SEQUENCE(20_000),
    /** One message of every length from 0 to the max (large ones from a direct buffer: the gathering path). */
    ALL_LENGTHS(TransportContractTest.MAX_MESSAGE_LENGTH + 1),
    /** Claims, a third of them aborted: only the committed ones arrive. */
    CLAIMS(3_000),
    /** A few messages with pauses between, so the subscriber's take has to sleep and wake. */
    DELAYED(3),
    /** 64-byte messages as fast as possible (for the throughput figures, not the contract). */
    THROUGHPUT_64(2_000_000);

    /** Longest wait for space: it includes the start of a subscriber's JVM, so only a hang exceeds it. */
    private static final long SEND_TIMEOUT_S = 60;
    private static final long DELAY_MS = 200;

    private final int count;

    Scenario(final int count)
    {
        this.count = count;
    }

    /**
     * @return messages the publisher attempts (including aborted claims).
     */
    public int count()
    {
        return count;
    }

    /**
     * @param i message number.
     * @return its type id.
     */
    public int typeId(final int i)
    {
        return this == ALL_LENGTHS ? 1 : i % 7;
    }

    /**
     * @param i message number.
     * @return its payload length.
     */
    public int length(final int i)
    {
        switch (this)
        {
            case SEQUENCE:
                return (i * 13) % 97;
            case ALL_LENGTHS:
                return i;
            case CLAIMS:
                return i % 200;
            case THROUGHPUT_64:
                return 64;
            default:
                return 100 + i;
        }
    }

    /**
     * @param i message number.
     * @return true if the subscriber must receive it.
     */
    public boolean committed(final int i)
    {
        return this != CLAIMS || i % 3 != 0;
    }

    /**
     * @param i message number.
     * @param k byte index in its payload.
     * @return the byte expected there.
     */
    public static byte payloadByte(final int i, final int k)
    {
        return (byte)(i * 31 + k * 7);
    }

    /**
     * @return messages the subscriber must receive.
     */
    public int expectedCount()
    {
        int expected = 0;
        for (int i = 0; i < count; i++)
        {
            expected += committed(i) ? 1 : 0;
        }
        return expected;
    }

    /**
     * Send the whole scenario, then close the publisher.
     *
     * @param publisher where to send.
     * @throws InterruptedException if interrupted while waiting for space.
     */
    public void publish(final Publisher publisher) throws InterruptedException
    {
        final UnsafeBuffer source = new UnsafeBuffer(ByteBuffer.allocateDirect(TransportContractTest.MAX_MESSAGE_LENGTH));
        try
        {
            for (int i = 0; i < count; i++)
            {
                final int length = length(i);
                final boolean viaClaim = this == CLAIMS || (this == SEQUENCE && (i & 1) == 1);
                if (viaClaim)
                {
                    final int index = claim(publisher, typeId(i), length);
                    for (int k = 0; k < length; k++)
                    {
                        publisher.buffer().putByte(index + k, payloadByte(i, k));
                    }
                    if (committed(i))
                    {
                        publisher.commit(index);
                    }
                    else
                    {
                        publisher.abort(index);
                    }
                }
                else
                {
                    if (this != THROUGHPUT_64 || i == 0)
                    {
                        for (int k = 0; k < length; k++)
                        {
                            source.putByte(k, payloadByte(i, k));
                        }
                    }
                    if (!publisher.offer(typeId(i), source, 0, length, SEND_TIMEOUT_S, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("no space for " + SEND_TIMEOUT_S + " s: scenario=" + this + " i=" + i);
                    }
                }
                if (this == DELAYED)
                {
                    publisher.flush();
                    Thread.sleep(DELAY_MS);
                }
            }
            publisher.flush();
        }
        finally
        {
            publisher.close();
        }
    }

    private static int claim(final Publisher publisher, final int typeId, final int length) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SEND_TIMEOUT_S);
        while (true)
        {
            final int index = publisher.tryClaim(typeId, length);
            if (index >= 0)
            {
                return index;
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("no space to claim for " + SEND_TIMEOUT_S + " s");
            }
            Thread.sleep(0, 50_000);
        }
    }
}
