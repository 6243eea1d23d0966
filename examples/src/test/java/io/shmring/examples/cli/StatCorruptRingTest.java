package io.shmring.examples.cli;

import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.SpscProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stat} on a ring whose shared state breaks the layout's rules: it prints what is valid, says where the ring is
 * corrupt, reports it as one line on stderr with exit code 1, and writes nothing.
 */
class StatCorruptRingTest
{
    private final Path path = Cli.shmPath("cli-stat-corrupt");

    @AfterEach
    void cleanUp() throws IOException
    {
        Files.deleteIfExists(path);
    }

    @Test
    void shouldCountTheValidFramesThenReportTheCorruptOne() throws IOException
    {
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(4096)))
        {
            try (SpscProducer producer = new SpscProducer(ring))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
                for (int i = 0; i < 3; i++)
                {
                    assertTrue(producer.offer(7, payload, 0, 8));
                }
            }
            ring.data().putInt(16 + 4, -1); // the second frame "padding" in the middle of the ring
        }
        final byte[] before = Files.readAllBytes(path);

        final Cli.Result result = Cli.run("stat", path.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains("pending messages   1 valid, then corrupt: frame length=16 at position 16"), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.errLines().get(0).startsWith("shmring stat: corrupt ring: frame length=16 at position=16 (SPSC padding"),
            result::toString);
        assertArrayEquals(before, Files.readAllBytes(path), "stat writes nothing");
    }

    @Test
    void shouldReportImpossiblePositionsWithoutWalkingThem()
    {
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(4096)))
        {
            ring.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, 1L << 40); // a walk from 0 would take 2^37 steps
        }

        final Cli.Result result = Cli.run("stat", path.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains("pending messages   0 valid, then corrupt: tail=" + (1L << 40)), result::toString);
        assertEquals(List.of("shmring stat: corrupt ring: tail=" + (1L << 40) +
            " (tail - head must be in 0..capacity: head=0 capacity=4096): path=" + path), result.errLines());
    }

    @Test
    void shouldReportAnMpscRingStalledAtAZeroHeaderNoSlotCovers()
    {
        try (RingFile ring = RingFile.create(path, RingConfig.mpsc(4096)))
        {
            ring.buffer().putLongVolatile(RingDescriptor.TAIL_OFFSET, 32); // over zero headers no producer slot records
        }

        final Cli.Result result = Cli.run("stat", path.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.errLines().get(0).startsWith("shmring stat: corrupt ring: frame header=0 at position=0 (zero below the tail"),
            result::toString);
    }

    @Test
    void shouldReportWhatTheEndsRefuseAtAttach()
    {
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(4096)))
        {
            ring.buffer().putIntVolatile(RingDescriptor.RING_STATE_OFFSET, 7);
        }

        final Cli.Result result = Cli.run("stat", path.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.errLines().get(0).startsWith("shmring stat: corrupt ring: ring state=7"), result::toString);
    }

    @Test
    void shouldReportARingMarkedDeletedThatIsStillAtItsPath()
    {
        try (RingFile ring = RingFile.create(path, RingConfig.spsc(4096)))
        {
            ring.buffer().putIntVolatile(RingDescriptor.RING_STATE_OFFSET, RingDescriptor.RING_RETIRED);
        }

        final Cli.Result result = Cli.run("stat", path.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.errLines().get(0).startsWith("shmring stat: corrupt ring: ring state=2"), result::toString);
    }
}
