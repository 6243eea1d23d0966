package io.shmring.ringbuffer;

/**
 * Polls an MPSC consumer on its own thread, verifying every message, and notes when the first
 * recovered claim shows up.
 */
final class ConsumerLoop extends Thread
{
    private final MpscConsumer consumer;
    private final TestMessages.Verifier verifier;
    private volatile boolean running = true;
    private volatile long received;
    private volatile long firstRecoveryNanos;
    private volatile Throwable failure;

    ConsumerLoop(final MpscConsumer consumer, final int producers)
    {
        super("consumer-loop");
        this.consumer = consumer;
        this.verifier = new TestMessages.Verifier(producers);
        setDaemon(true);
    }

    @Override
    public void run()
    {
        try
        {
            while (running)
            {
                final int count = consumer.poll(verifier::onMessage, 1024);
                received = verifier.received();
                if (firstRecoveryNanos == 0 && consumer.recoveredClaims() > 0)
                {
                    firstRecoveryNanos = System.nanoTime();
                }
                if (count == 0)
                {
                    Thread.yield();
                }
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    /**
     * Wait until {@code expected} messages arrived, then stop the loop.
     *
     * @return the verifier, safe to read after this returns.
     */
    TestMessages.Verifier awaitAndStop(final long expected, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (received < expected && failure == null && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        Thread.sleep(50); // a little longer, so a duplicate or stray message would be seen too
        running = false;
        join();
        if (failure != null)
        {
            throw new AssertionError("consumer failed", failure);
        }
        if (verifier.received() != expected)
        {
            throw new AssertionError("received=" + verifier.received() + " expected=" + expected);
        }
        return verifier;
    }

    /**
     * @return System.nanoTime() when the consumer first reported a recovered claim, 0 if never.
     */
    long firstRecoveryNanos()
    {
        return firstRecoveryNanos;
    }
}
