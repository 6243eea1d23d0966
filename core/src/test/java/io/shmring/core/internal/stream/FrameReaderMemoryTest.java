package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.MessageHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@link FrameReader} allocates: nothing while idle, only what arrived for a long frame, never
 * what a header asks for.
 */
class FrameReaderMemoryTest
{
    private static final int HUGE_MAX = StreamParameters.MAX_MAX_MESSAGE_LENGTH;

    @Test
    void shouldAllocateNothingUntilTheFirstRead() throws Exception
    {
        final ScriptedChannel channel = new ScriptedChannel();
        final FrameReader reader = new FrameReader(channel, HUGE_MAX);
        assertEquals(0, reader.capacity(), "an idle reader with a 256 MiB maximum holds nothing");
        assertEquals(0, reader.poll((t, b, o, l) -> { }, 10));
        assertEquals(FrameReader.INITIAL_CAPACITY, reader.capacity(), "the first read allocates the initial buffer only");
    }

    @Test
    void shouldHoldOnlyWhatArrivedWhenAHeaderAnnouncesAHugeFrame() throws Exception
    {
        final ScriptedChannel channel = new ScriptedChannel();
        final FrameReader reader = new FrameReader(channel, HUGE_MAX);
        final int announced = HUGE_MAX; // within the maximum: a legal frame whose bytes never come
        channel.add(header(announced + 8, 1));
        channel.add(new byte[1000]);
        for (int i = 0; i < 10; i++)
        {
            assertEquals(0, reader.poll((t, b, o, l) -> { }, 10));
        }
        assertEquals(1008, reader.pendingBytes());
        assertEquals(FrameReader.INITIAL_CAPACITY, reader.capacity(), "a header is not a reason to allocate");
        channel.end();
        final FrameStreamException ex = assertThrows(FrameStreamException.class, () -> drain(reader, (t, b, o, l) -> { }));
        assertTrue(ex.getMessage().contains("missing=" + (announced + 8 - 1008)), ex.getMessage());
    }

    @Test
    void shouldGrowByDoublingWhileALongFrameArrivesAndDeliverItWhole() throws Exception
    {
        final int payload = 3 * 1024 * 1024 + 17;
        final ScriptedChannel channel = new ScriptedChannel();
        final FrameReader reader = new FrameReader(channel, HUGE_MAX);
        final byte[] frame = frame(payload, 7);
        final List<Integer> capacities = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        final MessageHandler handler = (typeId, buffer, offset, length) ->
        {
            assertEquals(7, typeId);
            for (int k = 0; k < length; k += 4099)
            {
                assertEquals((byte)(k * 31), buffer.getByte(offset + k));
            }
            lengths.add(length);
        };
        for (int offset = 0; offset < frame.length; offset += 10_000)
        {
            final byte[] chunk = new byte[Math.min(10_000, frame.length - offset)];
            System.arraycopy(frame, offset, chunk, 0, chunk.length);
            channel.add(chunk);
            reader.poll(handler, 10);
            capacities.add(reader.capacity());
            assertTrue(reader.capacity() <= Math.max(FrameReader.INITIAL_CAPACITY, 2 * (offset + chunk.length)),
                "never more than twice what arrived: capacity=" + reader.capacity() + " received=" + (offset + chunk.length));
        }
        channel.end();
        drain(reader, handler);
        assertEquals(List.of(payload), lengths);
        assertTrue(reader.capacity() >= frame.length && reader.capacity() <= frame.length + FrameReader.READ_AHEAD,
            "grown to the frame, not to the maximum: capacity=" + reader.capacity());
        reader.release();
        assertEquals(0, reader.capacity());
    }

    @Test
    void shouldRefuseANegativeTypeIdAfterDeliveringEarlierFrames() throws Exception
    {
        final ScriptedChannel channel = new ScriptedChannel();
        final FrameReader reader = new FrameReader(channel, 1024);
        channel.add(frame(4, 2));
        channel.add(header(8 + 4, -1));
        channel.add(new byte[4]);
        channel.end();
        final List<Integer> types = new ArrayList<>();
        final FrameStreamException ex = assertThrows(FrameStreamException.class, () -> drain(reader, (t, b, o, l) -> types.add(t)));
        assertEquals(List.of(2), types);
        assertTrue(ex.getMessage().contains("typeId=-1"), ex.getMessage());
    }

    @Test
    void shouldNameTheMissingBytesWhenTheChannelBreaksInsideAFrame() throws Exception
    {
        final ScriptedChannel channel = new ScriptedChannel();
        final FrameReader reader = new FrameReader(channel, 1024);
        channel.add(frame(10, 1));
        channel.add(header(8 + 100, 1));
        channel.add(new byte[30]);
        channel.fail(new IOException("Connection reset"));
        final List<Integer> lengths = new ArrayList<>();
        final IOException broken = assertThrows(IOException.class, () -> drain(reader, (t, b, o, l) -> lengths.add(l)));
        assertEquals(List.of(10), lengths);
        final FrameStreamException cut = reader.brokenInsideFrame(broken);
        assertNotNull(cut);
        assertTrue(cut.getMessage().contains("Connection reset") && cut.getMessage().contains("missing=70"), cut.getMessage());
        assertThrows(FrameStreamException.class, () -> reader.poll((t, b, o, l) -> { }, 1), "the reader stays failed");

        final ScriptedChannel between = new ScriptedChannel();
        final FrameReader clean = new FrameReader(between, 1024);
        between.add(frame(10, 1));
        between.fail(new IOException("Connection reset"));
        final IOException resetBetweenFrames = assertThrows(IOException.class, () -> drain(clean, (t, b, o, l) -> { }));
        assertNull(clean.brokenInsideFrame(resetBetweenFrames), "a break between frames loses nothing");
    }

    private static void drain(final FrameReader reader, final MessageHandler handler) throws IOException
    {
        for (int i = 0; i < 10_000 && !reader.isEndOfStream(); i++)
        {
            reader.poll(handler, 100);
        }
        assertTrue(reader.isEndOfStream(), "the scripted stream ends");
    }

    static byte[] header(final int frameLength, final int typeId)
    {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(frameLength).putInt(typeId).array();
    }

    static byte[] frame(final int payload, final int typeId)
    {
        final ByteBuffer frame = ByteBuffer.allocate(8 + payload).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(8 + payload).putInt(typeId);
        for (int k = 0; k < payload; k++)
        {
            frame.put((byte)(k * 31));
        }
        return frame.array();
    }

    /**
     * Hands out the chunks added so far, one per read (0 when none is waiting), then -1 or a failure.
     */
    private static final class ScriptedChannel implements ReadableByteChannel
    {
        private final Deque<ByteBuffer> chunks = new ArrayDeque<>();
        private boolean ended;
        private IOException failure;

        void add(final byte[] bytes)
        {
            chunks.add(ByteBuffer.wrap(bytes));
        }

        void end()
        {
            ended = true;
        }

        void fail(final IOException ex)
        {
            failure = ex;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            final ByteBuffer next = chunks.peek();
            if (next == null)
            {
                if (failure != null)
                {
                    throw failure;
                }
                return ended ? -1 : 0;
            }
            final int length = Math.min(next.remaining(), dst.remaining());
            dst.put(next.slice().limit(length));
            next.position(next.position() + length);
            if (!next.hasRemaining())
            {
                chunks.remove();
            }
            return length;
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public void close()
        {
        }
    }
}
