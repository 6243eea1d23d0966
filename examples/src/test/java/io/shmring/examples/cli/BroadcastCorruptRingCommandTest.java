package io.shmring.examples.cli;

import io.shmring.ringbuffer.BroadcastConfig;
import io.shmring.ringbuffer.BroadcastProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.internal.BroadcastDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast ring whose producer positions break the layout's rules (issue 13 breaker, case 3): {@code send} refused
 * such a ring while {@code stat} and {@code list} called it healthy and {@code recv} waited out its timeout (exit 3).
 * One check now serves all four: each names the broken field, exit 1.
 */
class BroadcastCorruptRingCommandTest
{
    private Path directory;
    private Path path;

    @BeforeEach
    void makeDirectory() throws IOException
    {
        directory = Cli.shmDirectory("cli-broadcast-corrupt");
        path = directory.resolve("ring");
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        Cli.deleteTree(directory);
    }

    static Stream<Arguments> corruptions()
    {
        return Stream.of(
            Arguments.of(BroadcastConfig.lossless(4), BroadcastDescriptor.TAIL_OFFSET, 1L << 62, "floor"),
            Arguments.of(BroadcastConfig.lossless(4), BroadcastDescriptor.FLOOR_OFFSET, 4000L, "floor"),
            Arguments.of(BroadcastConfig.lossy(4), BroadcastDescriptor.TAIL_INTENT_OFFSET, 1L << 40, "tail intent"));
    }

    @ParameterizedTest(name = "{3} broken by {2} at offset {1}")
    @MethodSource("corruptions")
    void shouldReportTheCorruptionInStatListSendAndRecvAlike(
        final BroadcastConfig broadcast, final int offset, final long value, final String field) throws IOException
    {
        try (RingFile ring = RingFile.create(path, RingConfig.broadcast(4096, broadcast)))
        {
            try (BroadcastProducer producer = new BroadcastProducer(ring))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
                assertTrue(producer.offer(1, payload, 0, 8));
                assertTrue(producer.offer(1, payload, 0, 8));
            }
            ring.buffer().putLongVolatile(offset, value);
        }
        final byte[] before = positions();
        final String corrupt = "corrupt ring: " + field + "=";

        final Cli.Result stat = Cli.run("stat", path.toString());
        assertEquals(1, stat.exitCode(), stat::toString);
        assertTrue(stat.out().contains("corrupt            " + field + "="), stat::toString);
        assertEquals(1, stat.errLines().size(), stat::toString);
        assertTrue(stat.errLines().get(0).startsWith("shmring stat: " + corrupt), stat::toString);

        final Cli.Result list = Cli.run("list", directory.toString());
        assertEquals(1, list.exitCode(), list::toString);
        assertTrue(list.out().contains(", CORRUPT: " + field + "="), list::toString);
        assertTrue(list.errLines().get(0).startsWith("shmring list: " + corrupt), list::toString);

        final Cli.Result recv = Cli.run("recv", "--timeout", "20", "shm:" + path);
        assertEquals(1, recv.exitCode(), recv::toString);
        assertTrue(recv.errLines().get(0).startsWith("shmring recv: " + corrupt), recv::toString);

        assertArrayEquals(before, positions(), "nothing moved the positions");
    }

    /**
     * @return the tail, tail intent and floor as the file holds them.
     */
    private byte[] positions() throws IOException
    {
        final byte[] file = Files.readAllBytes(path);
        final byte[] positions = new byte[3 * Long.BYTES];
        System.arraycopy(file, BroadcastDescriptor.TAIL_OFFSET, positions, 0, 2 * Long.BYTES);
        System.arraycopy(file, BroadcastDescriptor.FLOOR_OFFSET, positions, 2 * Long.BYTES, Long.BYTES);
        return positions;
    }
}
