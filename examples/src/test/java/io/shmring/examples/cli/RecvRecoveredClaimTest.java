package io.shmring.examples.cli;

import io.shmring.core.internal.ChildJvm;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A committed MPSC message whose header was overwritten with an open claim's (a negative length and the claim marker of a
 * slot nobody holds): {@code recv} recovers it at its first judgement (a free slot: its owner is certainly gone), as the
 * layout says (5.7), and the loss used to be silent (issue 13 breaker, case 5). It now prints one warning naming the
 * position and the bytes skipped, goes on with the next message, and {@code stat} counts the recovery.
 */
class RecvRecoveredClaimTest
{
    /** The claim marker of slot 3, generation 0 (docs/LAYOUT.md 5.3): {@code 0x80000000 | 0 << 12 | 3}. */
    private static final int MARKER = 0x8000_0003;

    private final Path ring = Cli.shmPath("cli-recovered-claim");

    @AfterEach
    void cleanUp() throws IOException
    {
        Files.deleteIfExists(ring);
    }

    @Test
    void shouldPrintOneLineNamingThePositionAndBytesSkippedWhenRecvRecoversAClaim() throws Exception
    {
        try (RingFile file = RingFile.create(ring, RingConfig.mpsc(4096)))
        {
            try (MpscProducer producer = new MpscProducer(file))
            {
                for (final String text : List.of("message1", "message2", "message3")) // frames of 16 bytes at 0, 16, 32
                {
                    final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
                    assertTrue(producer.offer(0, new UnsafeBuffer(bytes), 0, bytes.length));
                }
            }
            file.data().putLongVolatile(16, (-16 & 0xFFFF_FFFFL) | (long)MARKER << 32); // message2 now looks like an open claim
        }

        final Process recv = ChildJvm.builder(ShmringCommand.class, List.of("-Xmx128m"),
                List.of("recv", "shm:" + ring, "--count", "2", "--timeout", "60"))
            .redirectError(ProcessBuilder.Redirect.PIPE).start();
        assertTrue(recv.waitFor(90, TimeUnit.SECONDS), "recv did not end");
        final String out = new String(recv.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final List<String> err = Arrays.stream(new String(recv.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
            .split("\\R")).filter(line -> !line.isEmpty()).collect(Collectors.toList());
        System.out.println("recv: exit " + recv.exitValue() + ", stdout " + out.lines().toList() + ", stderr " + err);

        assertEquals(0, recv.exitValue(), err::toString);
        assertEquals("message1\nmessage3\n", out);
        assertEquals(1, err.size(), err::toString);
        assertTrue(err.get(0).startsWith("shmring: warning: MPSC consumer skipped 16 bytes at position 16: a claim of " +
            "producer slot 3"), err::toString);

        final Cli.Result stat = Cli.run("stat", ring.toString());
        assertTrue(stat.out().contains("recovered claims   1"), stat::toString);
    }
}
