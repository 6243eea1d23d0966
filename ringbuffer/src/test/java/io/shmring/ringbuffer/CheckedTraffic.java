package io.shmring.ringbuffer;

import io.shmring.core.MessageHandler;
import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.BooleanSupplier;

/**
 * Sends and verifies a run of {@link CheckedMessages} over any publisher/subscriber pair.
 */
final class CheckedTraffic
{
    private CheckedTraffic()
    {
    }

    /**
     * Outcome of a consuming run.
     *
     * @param received messages verified before stopping.
     * @param nanos    time from the first message to the last.
     * @param error    first verification failure, or null.
     */
    record Result(int received, long nanos, String error)
    {
        double messagesPerSecond()
        {
            return received * 1e9 / Math.max(1, nanos);
        }

        @Override
        public String toString()
        {
            return "received=" + received + " nanos=" + nanos + " msgsPerSec=" + (long)messagesPerSecond() +
                (error == null ? " OK" : " ERROR " + error);
        }
    }

    /**
     * Produce {@code count} messages written in place through tryClaim/commit.
     */
    static void produceByClaim(final Publisher publisher, final int count, final long deadlineMs)
    {
        final var buffer = publisher.buffer();
        for (int seq = 0; seq < count; seq++)
        {
            int index;
            while ((index = publisher.tryClaim(CheckedMessages.typeOf(seq), CheckedMessages.lengthOf(seq))) < 0)
            {
                checkDeadline(deadlineMs, seq);
                Thread.onSpinWait();
            }
            CheckedMessages.write(buffer, index, seq);
            publisher.commit(index);
        }
    }

    /**
     * Produce {@code count} messages copied in with offer.
     */
    static void produceByOffer(final Publisher publisher, final int count, final long deadlineMs)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[CheckedMessages.MAX_LENGTH]);
        for (int seq = 0; seq < count; seq++)
        {
            CheckedMessages.write(scratch, 0, seq);
            while (!publisher.offer(CheckedMessages.typeOf(seq), scratch, 0, CheckedMessages.lengthOf(seq)))
            {
                checkDeadline(deadlineMs, seq);
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Consume until {@code count} messages arrived, a message fails verification, the deadline passes, or
     * {@code peerAlive} says the producer is gone while the ring is empty.
     */
    static Result consume(final Subscriber subscriber, final int count, final long deadlineMs, final BooleanSupplier peerAlive)
    {
        final Verifier verifier = new Verifier();
        long start = 0;
        while (verifier.next < count && verifier.error == null)
        {
            final int polled = subscriber.poll(verifier, 256);
            if (polled == 0)
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    verifier.error = "deadline passed after " + verifier.next + " messages";
                }
                else if (!peerAlive.getAsBoolean() && subscriber.poll(verifier, 256) == 0)
                {
                    verifier.error = "producer gone after " + verifier.next + " messages";
                }
                Thread.onSpinWait();
            }
            else if (start == 0)
            {
                start = System.nanoTime();
            }
        }
        if (verifier.next > count && verifier.error == null)
        {
            verifier.error = "more messages than sent: " + verifier.next;
        }
        return new Result(verifier.next, System.nanoTime() - start, verifier.error);
    }

    private static void checkDeadline(final long deadlineMs, final int seq)
    {
        if (System.currentTimeMillis() > deadlineMs)
        {
            throw new IllegalStateException("deadline passed while producing seq=" + seq);
        }
    }

    private static final class Verifier implements MessageHandler
    {
        int next;
        String error;

        @Override
        public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (error == null)
            {
                error = CheckedMessages.verify(next, typeId, buffer, offset, length);
            }
            next++;
        }
    }
}
