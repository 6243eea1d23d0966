package io.shmring.examples.bridge;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Checks an application sequence number carried in every payload: a little-endian int64 at a fixed offset,
 * one more in each frame than the highest before it. A jump forward is a gap (the frames in between had not
 * come); a frame at or below the highest so far is a repeat or a late (reordered) frame. The first frame sets
 * the start. One line per anomaly goes to the report, the first {@link #MAX_REPORTED} only; all are counted.
 * Not thread-safe.
 */
public final class SequenceCheck
{
    /** Anomalies reported one by one; later ones are only counted. */
    public static final int MAX_REPORTED = 100;

    private final int offset;
    private final Consumer<String> report;
    private boolean started;
    private long expected;
    private long gaps;
    private long lost;
    private long behind;
    private long tooShort;

    /**
     * @param offset byte offset of the sequence number in each payload.
     * @param report receives one line per anomaly.
     */
    public SequenceCheck(final int offset, final Consumer<String> report)
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("sequence offset must not be negative: offset=" + offset);
        }
        this.offset = offset;
        this.report = report;
    }

    /**
     * @param buffer holds the payload.
     * @param index  where the payload starts.
     * @param length payload bytes.
     */
    public void onFrame(final DirectBuffer buffer, final int index, final int length)
    {
        if (length < offset + Long.BYTES)
        {
            if (tooShort++ < MAX_REPORTED)
            {
                report.accept("frame of " + length + " bytes has no sequence at offset " + offset);
            }
            return;
        }
        final long sequence = buffer.getLong(index + offset, ByteOrder.LITTLE_ENDIAN);
        if (!started)
        {
            started = true;
            report.accept("first sequence " + sequence);
        }
        else if (sequence > expected)
        {
            if (gaps + behind < MAX_REPORTED)
            {
                report.accept("sequence gap: expected " + expected + " got " + sequence + ": " + (sequence - expected) +
                    " frames missing");
            }
            gaps++;
            lost += sequence - expected;
        }
        else if (sequence < expected)
        {
            if (gaps + behind < MAX_REPORTED)
            {
                report.accept("sequence went back: expected " + expected + " got " + sequence + " (" +
                    (expected - sequence) + " behind: repeated or late)");
            }
            behind++;
            return;
        }
        expected = sequence + 1;
    }

    /**
     * @return forward jumps seen.
     */
    public long gaps()
    {
        return gaps;
    }

    /**
     * @return frames skipped by the forward jumps.
     */
    public long lost()
    {
        return lost;
    }

    /**
     * @return frames at or below the highest sequence seen before them: repeated, or late after a gap.
     */
    public long behind()
    {
        return behind;
    }

    /**
     * @return frames too short to carry a sequence.
     */
    public long shortFrames()
    {
        return tooShort;
    }

    /**
     * @return one more than the highest sequence seen (what the next frame should carry), or 0 before the first.
     */
    public long expected()
    {
        return expected;
    }

    /**
     * @return one phrase with every count.
     */
    public String summary()
    {
        return "sequence: " + gaps + " gaps (" + lost + " frames missing), " + behind + " frames repeated or late" + (tooShort > 0 ? ", " + tooShort + " frames without one" : "") +
            (started ? ", next expected " + expected : "");
    }
}
