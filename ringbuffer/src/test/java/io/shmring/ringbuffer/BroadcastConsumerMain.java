package io.shmring.ringbuffer;

import io.shmring.core.MessageHandler;
import org.agrona.DirectBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of the cross-process broadcast tests: one consumer process of a broadcast ring.
 * <p>
 * Arguments: {@code path count mode}. It joins, prints {@code READY <slot>}, then reads {@link CheckedMessages} from
 * sequence 0, checking each. Mode {@code all}: reads until it has {@code count} messages or the stream ends, prints
 * {@code DONE <delivered> <ok|first error>}. Mode {@code victim}: the same, but inside the handler of its 100th message
 * it prints {@code READ 100} and waits for a line on stdin, holding the producer back while it reads ring memory (the
 * parent kills or stops it there); if it then finds it was dropped it prints {@code DROPPED <delivered> <ok|first
 * error>}. Exits 0 unless something threw.
 */
public final class BroadcastConsumerMain
{
    static final int VICTIM_READS = 100;

    private BroadcastConsumerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long count = Long.parseLong(args[1]);
        final boolean victim = "victim".equals(args[2]);
        try (RingFile file = RingFile.open(Paths.get(args[0]), RingKind.BROADCAST);
            BroadcastConsumer consumer = new BroadcastConsumer(file))
        {
            say("READY " + consumer.slot());
            final Checker checker = new Checker(victim);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (checker.next < count && !consumer.isEndOfStream() && System.nanoTime() - deadline < 0)
            {
                final int read = consumer.take(checker, 16, 100, TimeUnit.MILLISECONDS);
                if (read == BroadcastConsumer.DROPPED)
                {
                    // the message handled last when the drop was found may have been overwritten under its handler
                    say("DROPPED " + consumer.delivered() + " " + (checker.error == null ? "ok" : checker.error));
                    return;
                }
                checker.settle();
            }
            checker.settle();
            say("DONE " + consumer.delivered() + " " + (checker.error == null ? "ok" : checker.error));
        }
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * Checks each message; an error of the last message of a poll counts once the poll returned normally.
     */
    static final class Checker implements MessageHandler
    {
        private final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        private final boolean victim;
        int next;
        String error;
        private String lastError;

        Checker(final boolean victim)
        {
            this.victim = victim;
        }

        @Override
        public void onMessage(final int typeId, final DirectBuffer buffer, final int offset, final int length)
        {
            settle();
            next++;
            if (victim && next == VICTIM_READS)
            {
                say("READ " + next);
                try
                {
                    stdin.readLine(); // hold this message, in ring memory, until the parent says go on
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
            lastError = CheckedMessages.verify(next - 1, typeId, buffer, offset, length);
        }

        void settle()
        {
            if (lastError != null && error == null)
            {
                error = lastError.replace(' ', '_');
            }
            lastError = null;
        }
    }
}
