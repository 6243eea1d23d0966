package io.shmring.core.internal.stream;

import io.shmring.core.FrameStreamException;
import io.shmring.core.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest
{
    private static final int MAX = 1024;

    @Test
    void shouldReassembleFramesSplitAcrossOneByteReads() throws Exception
    {
        final byte[] stream = encode(50, 0);
        final FrameReader reader = new FrameReader(new TrickleChannel(stream, 1), MAX);
        final List<Integer> lengths = new ArrayList<>();
        final MessageHandler handler = (typeId, buffer, offset, length) ->
        {
            assertEquals(typeId, length % 7);
            for (int k = 0; k < length; k++)
            {
                assertEquals((byte)(length + k), buffer.getByte(offset + k));
            }
            lengths.add(length);
        };
        while (!reader.isEndOfStream())
        {
            reader.poll(handler, 100);
        }
        assertEquals(50, lengths.size());
        for (int i = 0; i < 50; i++)
        {
            assertEquals(i * 19 % MAX, lengths.get(i));
        }
    }

    @Test
    void shouldDeliverManyFramesPerRead() throws Exception
    {
        final byte[] stream = encode(1000, 0);
        final FrameReader reader = new FrameReader(new TrickleChannel(stream, Integer.MAX_VALUE), MAX);
        int delivered = 0;
        while (!reader.isEndOfStream())
        {
            delivered += reader.poll((t, b, o, l) -> { }, Integer.MAX_VALUE);
        }
        assertEquals(1000, delivered);
        assertTrue(reader.readCalls() < 1000 / 10, "far fewer reads than frames: readCalls=" + reader.readCalls());
    }

    @Test
    void shouldBatchFramesIntoFewWrites() throws Exception
    {
        final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        final FrameWriter writer = new FrameWriter(Channels.newChannel(sink), MAX, 16 * 1024);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 1000; i++)
        {
            writer.write(1, source, 0, 64);
        }
        writer.flush();
        assertEquals(1000 * 72, sink.size());
        assertTrue(writer.writeCalls() <= 1000 * 72 / (16 * 1024) + 1, "writeCalls=" + writer.writeCalls());

        final FrameWriter unbatched = new FrameWriter(Channels.newChannel(new ByteArrayOutputStream()), MAX, 0);
        for (int i = 0; i < 10; i++)
        {
            unbatched.write(1, source, 0, 64);
        }
        assertEquals(10, unbatched.writeCalls(), "without batching every frame is written at once");
        assertEquals(0, unbatched.pendingBytes());
    }

    @Test
    void shouldWriteLargeDirectPayloadInOneGatheringWrite() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source())
        {
            final int max = 4 * FrameWriter.GATHER_THRESHOLD;
            final FrameWriter writer = new FrameWriter(sink, max, 0);
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(max + 16), 16, max);
            for (int k = 0; k < max; k++)
            {
                payload.putByte(k, (byte)k);
            }
            writer.write(3, payload, 0, FrameWriter.GATHER_THRESHOLD);
            assertEquals(1, writer.writeCalls());
            final ByteBuffer received = ByteBuffer.allocate(8 + FrameWriter.GATHER_THRESHOLD)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (received.hasRemaining())
            {
                source.read(received);
            }
            assertEquals(8 + FrameWriter.GATHER_THRESHOLD, received.getInt(0));
            assertEquals(3, received.getInt(4));
            for (int k = 0; k < FrameWriter.GATHER_THRESHOLD; k++)
            {
                assertEquals((byte)k, received.get(8 + k));
            }
        }
    }

    @Test
    void shouldFailNamingLengthOnlyAfterDeliveringEarlierFramesOfSameRead() throws Exception
    {
        final byte[] good = encode(3, 0);
        final byte[] stream = new byte[good.length + 8];
        System.arraycopy(good, 0, stream, 0, good.length);
        ByteBuffer.wrap(stream, good.length, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(0);
        final FrameReader reader = new FrameReader(new TrickleChannel(stream, Integer.MAX_VALUE), MAX);
        final List<Integer> lengths = new ArrayList<>();
        final FrameStreamException ex = assertThrows(FrameStreamException.class,
            () -> reader.poll((t, b, o, l) -> lengths.add(l), 100));
        assertEquals(3, lengths.size());
        assertTrue(ex.getMessage().contains("frameLength=-1"), ex.getMessage());
        assertThrows(FrameStreamException.class, () -> reader.poll((t, b, o, l) -> { }, 100), "the stream stays failed");
    }

    @Test
    void shouldAllocateNothingPerMessageInSteadyState() throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source())
        {
            source.configureBlocking(false);
            final FrameWriter writer = new FrameWriter(sink, MAX, 4096);
            final FrameReader reader = new FrameReader(source, MAX);
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            final long[] count = new long[1];
            final MessageHandler handler = (t, b, o, l) -> count[0] += l;
            exchange(writer, reader, payload, handler, 50_000);
            final long before = threads.getCurrentThreadAllocatedBytes();
            exchange(writer, reader, payload, handler, 200_000);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(250_000L * 64, count[0]);
            assertTrue(allocated < 16 * 1024, "allocated=" + allocated + " bytes for 200000 messages");
        }
    }

    private static void exchange(
        final FrameWriter writer, final FrameReader reader, final UnsafeBuffer payload, final MessageHandler handler,
        final int messages) throws Exception
    {
        for (int i = 0; i < messages; i++)
        {
            writer.write(1, payload, 0, 64);
            if (writer.pendingBytes() == 0)
            {
                while (reader.hasCompleteFrame() || reader.poll(handler, 1000) > 0)
                {
                    reader.poll(handler, 1000);
                }
            }
        }
        writer.flush();
        while (reader.poll(handler, 1000) > 0)
        {
            reader.poll(handler, 1000);
        }
    }

    /**
     * Frames of lengths i * 19 % MAX, type id length % 7, payload bytes (length + k).
     */
    private static byte[] encode(final int frames, final int ignored)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++)
        {
            final int length = i * 19 % MAX;
            final ByteBuffer frame = ByteBuffer.allocate(8 + length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            frame.putInt(8 + length).putInt(length % 7);
            for (int k = 0; k < length; k++)
            {
                frame.put((byte)(length + k));
            }
            out.write(frame.array(), 0, frame.capacity());
        }
        return out.toByteArray();
    }

    /**
     * Hands out at most {@code chunk} bytes a read, then -1.
     */
    private static final class TrickleChannel implements ReadableByteChannel
    {
        private final byte[] bytes;
        private final int chunk;
        private int position;

        TrickleChannel(final byte[] bytes, final int chunk)
        {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read(final ByteBuffer dst)
        {
            if (position == bytes.length)
            {
                return -1;
            }
            final int length = Math.min(Math.min(chunk, dst.remaining()), bytes.length - position);
            dst.put(bytes, position, length);
            position += length;
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
