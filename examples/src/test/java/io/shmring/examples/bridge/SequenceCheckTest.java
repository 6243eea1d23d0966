package io.shmring.examples.bridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SequenceCheckTest
{
    private final List<String> lines = new ArrayList<>();
    private final SequenceCheck check = new SequenceCheck(4, lines::add);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);

    @Test
    void shouldCountGapsAndFramesBehindTheHighest()
    {
        for (final long sequence : new long[] {10, 11, 12, 15, 16, 13, 14, 17, 17})
        {
            send(sequence);
        }

        assertEquals(1, check.gaps());
        assertEquals(2, check.lost());
        assertEquals(3, check.behind());
        assertEquals(18, check.expected());
        assertEquals(List.of("first sequence 10", "sequence gap: expected 13 got 15: 2 frames missing",
            "sequence went back: expected 17 got 13 (4 behind: repeated or late)",
            "sequence went back: expected 17 got 14 (3 behind: repeated or late)",
            "sequence went back: expected 18 got 17 (1 behind: repeated or late)"), lines);
        assertEquals("sequence: 1 gaps (2 frames missing), 3 frames repeated or late, next expected 18", check.summary());
    }

    @Test
    void shouldCountFramesTooShortForTheSequence()
    {
        check.onFrame(payload, 0, 11);

        assertEquals(1, check.shortFrames());
        assertEquals(List.of("frame of 11 bytes has no sequence at offset 4"), lines);
    }

    @Test
    void shouldReportOnlyTheFirstHundredAnomalies()
    {
        for (int i = 0; i < 300; i++)
        {
            send(i * 2L);
        }

        assertEquals(299, check.gaps());
        assertEquals(1 + SequenceCheck.MAX_REPORTED, lines.size(), "the first line, then 100 anomalies");
    }

    private void send(final long sequence)
    {
        payload.putLong(4, sequence, ByteOrder.LITTLE_ENDIAN);
        check.onFrame(payload, 0, 16);
    }
}
