package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.MessageHandler;
import io.shmring.core.Subscriber;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded hostile byte streams ({@link HostileInput}) against each stream transport's subscriber, the peer
 * writing from another thread as it would from another process. Each case must deliver every frame the
 * reference decoder finds, then either end cleanly or fail with a {@link FrameStreamException} saying
 * what the decoder says (a socket subscriber drops that connection and keeps the exception as its last peer failure), within a deadline only a hang exceeds; no case may make a subscriber hold
 * more receive buffer than its initial one (no case sends more than 40 KiB, whatever its headers say).
 * <p>
 * {@code -Dshmring.fuzz.seed=N} replays a run, {@code -Dshmring.fuzz.cases=N} sets the cases per transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileStreamFuzzTest
{
    private static final long SEED = Long.getLong("shmring.fuzz.seed", 0x5EED_0013L);
    private static final int CASES = Integer.getInteger("shmring.fuzz.cases", 6 * HostileInput.Kind.values().length);
    private static final long CASE_DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long SILENT_WAIT_MS = 30;

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(HostileEndpoint.class)
    void shouldDeliverEveryCompleteFrameThenEndOrFailAsDocumented(final HostileEndpoint endpoint) throws Exception
    {
        final Random seeds = new Random(SEED + endpoint.ordinal());
        final Map<HostileInput.Kind, Integer> perKind = new EnumMap<>(HostileInput.Kind.class);
        int failedAsDocumented = 0;
        int endedCleanly = 0;
        int framesDelivered = 0;
        final ExecutorService peers = Executors.newCachedThreadPool();
        try
        {
            for (int index = 0; index < CASES; index++)
            {
                final HostileInput.Kind kind = HostileInput.Kind.values()[index % HostileInput.Kind.values().length];
                final long caseSeed = seeds.nextLong();
                final HostileInput input = HostileInput.generate(kind, caseSeed);
                final String label = endpoint + " case " + index + " " + kind + " seed=" + caseSeed;
                final Outcome outcome = kind == HostileInput.Kind.SILENT_PEER ?
                    runSilent(endpoint, index, peers, label) : run(endpoint, index, input, peers, label);
                assertEquals(input.frames(), outcome.frames, label + ": the frames before any bad one, in order");
                if (input.failureText() == null)
                {
                    assertEquals(null, outcome.failure, label + ": a well-formed stream ends cleanly");
                    endedCleanly++;
                }
                else
                {
                    assertTrue(outcome.failure instanceof FrameStreamException, label + ": expected a FrameStreamException " +
                        "saying " + input.failureText() + " but got " + outcome.failure);
                    assertTrue(saysValue(outcome.failure.getMessage(), input.failureText()),
                        label + ": expected " + input.failureText() + " in: " + outcome.failure.getMessage());
                    failedAsDocumented++;
                }
                assertTrue(outcome.largestBuffer <= FrameReader.INITIAL_CAPACITY, label +
                    ": a header is no reason to allocate: receive buffer reached " + outcome.largestBuffer);
                perKind.merge(kind, 1, Integer::sum);
                framesDelivered += outcome.frames.size();
            }
        }
        finally
        {
            peers.shutdownNow();
        }
        System.out.println("HostileStreamFuzzTest " + endpoint + ": " + CASES + " cases (seed " + SEED + ") " + perKind +
            "; failed as documented " + failedAsDocumented + ", ended cleanly " + endedCleanly + ", frames delivered " +
            framesDelivered);
    }

    private Outcome run(
        final HostileEndpoint endpoint, final int index, final HostileInput input, final ExecutorService peers,
        final String label) throws Exception
    {
        try (Subscriber subscriber = endpoint.subscribe(directory, index, input.maxMessage()))
        {
            final WritableByteChannel channel = endpoint.connect(subscriber, directory, index);
            final CompletableFuture<IOException> peer =
                CompletableFuture.supplyAsync(() -> write(endpoint, channel, input), peers);
            final Outcome outcome = receive(subscriber, label);
            // the peer ends (what it writes fits in the kernel's buffers); writing may fail only after a
            // subscriber closed the connection of a stream it refused
            final IOException writeFailure = peer.get(CASE_DEADLINE_NS, TimeUnit.NANOSECONDS);
            if (input.failureText() == null && writeFailure != null)
            {
                throw new AssertionError(label + ": a well-formed peer could not write", writeFailure);
            }
            return outcome;
        }
    }

    /**
     * A peer opens and sends nothing, beside (on sockets) a peer that sends frames: the subscriber
     * delivers those, waits out its timeouts without a result, and ends only when the silent one closes.
     */
    private Outcome runSilent(
        final HostileEndpoint endpoint, final int index, final ExecutorService peers, final String label) throws Exception
    {
        try (Subscriber subscriber = endpoint.subscribe(directory, index, HostileInput.MAX))
        {
            final WritableByteChannel silent = endpoint.connect(subscriber, directory, index);
            final List<HostileInput.Frame> frames = new ArrayList<>();
            final MessageHandler handler = collector(frames);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(0, subscriber.take(handler, 16, SILENT_WAIT_MS, TimeUnit.MILLISECONDS), label);
                assertFalse(subscriber.isEndOfStream(), label + ": a silent peer is no end of stream");
            }
            if (subscriber instanceof SocketSubscriber)
            {
                final HostileInput talker = HostileInput.generate(HostileInput.Kind.SPLIT_INTO_TINY_WRITES, index);
                final WritableByteChannel channel = endpoint.connect(subscriber, directory, index);
                final CompletableFuture<IOException> talking =
                    CompletableFuture.supplyAsync(() -> write(endpoint, channel, talker), peers);
                final long deadline = System.nanoTime() + CASE_DEADLINE_NS;
                while (frames.size() < talker.frames().size() && System.nanoTime() - deadline < 0)
                {
                    subscriber.take(handler, 16, 100, TimeUnit.MILLISECONDS);
                }
                assertEquals(null, talking.get(CASE_DEADLINE_NS, TimeUnit.NANOSECONDS), label);
                assertEquals(talker.frames(), frames, label + ": the other publisher is served meanwhile");
                assertEquals(0, subscriber.take(handler, 16, SILENT_WAIT_MS, TimeUnit.MILLISECONDS), label);
                assertFalse(subscriber.isEndOfStream(), label + ": the silent peer is still connected");
                frames.clear();
            }
            silent.close();
            final Outcome outcome = receive(subscriber, label);
            assertEquals(List.of(), frames, label);
            return outcome;
        }
    }

    private static Outcome receive(final Subscriber subscriber, final String label) throws InterruptedException
    {
        final Outcome outcome = new Outcome();
        final MessageHandler handler = collector(outcome.frames);
        final long deadline = System.nanoTime() + CASE_DEADLINE_NS;
        // a socket subscriber drops a bad connection and goes on: its stream ends only by a publisher's clean close
        while (!subscriber.isEndOfStream() &&
            !(subscriber instanceof SocketSubscriber && ((SocketSubscriber)subscriber).lastPeerFailure() != null))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(label + ": neither an end nor a failure within 20 s; frames so far " +
                    outcome.frames.size());
            }
            try
            {
                subscriber.take(handler, 16, 100, TimeUnit.MILLISECONDS);
            }
            catch (final RuntimeException ex)
            {
                outcome.failure = ex;
                outcome.largestBuffer = Math.max(outcome.largestBuffer, HostileEndpoint.receiveBufferBytes(subscriber));
                break;
            }
            outcome.largestBuffer = Math.max(outcome.largestBuffer, HostileEndpoint.receiveBufferBytes(subscriber));
        }
        if (subscriber instanceof SocketSubscriber && outcome.failure == null)
        {
            outcome.failure = ((SocketSubscriber)subscriber).lastPeerFailure(); // dropped, the subscriber going on
        }
        return outcome;
    }

    /**
     * @return null, or the failure that stopped the writes.
     */
    private static IOException write(
        final HostileEndpoint endpoint, final WritableByteChannel channel, final HostileInput input)
    {
        try
        {
            int offset = 0;
            for (final int size : input.writes())
            {
                HostileEndpoint.writeFully(channel, input.bytes(), offset, size);
                offset += size;
            }
            if (input.ending() == HostileInput.Ending.VANISH)
            {
                endpoint.vanish(channel);
            }
            else
            {
                channel.close();
            }
            return null;
        }
        catch (final IOException ex)
        {
            try
            {
                channel.close();
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            return ex;
        }
    }

    private static MessageHandler collector(final List<HostileInput.Frame> frames)
    {
        return (typeId, buffer, offset, length) ->
        {
            final List<Byte> payload = new ArrayList<>(length);
            for (int k = 0; k < length; k++)
            {
                payload.add(buffer.getByte(offset + k));
            }
            frames.add(new HostileInput.Frame(typeId, payload));
        };
    }

    /**
     * @return true if {@code text} (such as {@code missing=70}) appears in the message not followed by
     * another digit.
     */
    private static boolean saysValue(final String message, final String text)
    {
        for (int at = message.indexOf(text); at >= 0; at = message.indexOf(text, at + 1))
        {
            final int end = at + text.length();
            if (end == message.length() || !Character.isDigit(message.charAt(end)))
            {
                return true;
            }
        }
        return false;
    }

    private static final class Outcome
    {
        private final List<HostileInput.Frame> frames = new ArrayList<>();
        private RuntimeException failure;
        private long largestBuffer;
    }
}
