package io.shmring.core.internal.stream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One seeded hostile byte stream: what a peer writes, in which pieces, how it ends, and what a reader must
 * make of it, decided by a reference decoder written from docs/LAYOUT.md section 1 (not by FrameReader).
 *
 * @param kind        what the case tries.
 * @param maxMessage  the subscriber's maxMessageLength.
 * @param bytes       everything the peer writes.
 * @param writes      sizes of the peer's writes, in order (their sum is {@code bytes.length}).
 * @param ending      how the peer stops.
 * @param frames      frames a reader must deliver, in order.
 * @param failureText what the reader's exception must say, or null if the stream is fine.
 */
record HostileInput(
    HostileInput.Kind kind, int maxMessage, byte[] bytes, List<Integer> writes, HostileInput.Ending ending,
    List<Frame> frames, String failureText)
{
    /** Largest payload of most cases. */
    static final int MAX = 4096;
    /** Largest payload of {@link Kind#HUGE_LENGTH_WITHIN_MAX}. */
    static final int HUGE_MAX = 64 * 1024 * 1024;

    /** What a case tries. */
    enum Kind
    {
        /** Valid frames, each write 1 to 3 bytes. */
        SPLIT_INTO_TINY_WRITES,
        /** Valid frames, then a length below 8. */
        LENGTH_BELOW_HEADER,
        /** Valid frames, then a length above 8 + max. */
        LENGTH_ABOVE_MAX,
        /** Valid frames, then a frame with a type id below 0. */
        NEGATIVE_TYPE_ID,
        /** Valid frames, then the start of one, then the end of the stream. */
        TRUNCATED_AT_EOF,
        /** Valid frames, then random bytes. */
        GARBAGE_AFTER_FRAMES,
        /** Connects (opens) and sends nothing, then closes. */
        SILENT_PEER,
        /** Valid frames, then the start of one, then the peer vanishes (a TCP reset where there is one). */
        VANISHES_MID_FRAME,
        /** Valid frames, then a header announcing up to 64 MiB with a maximum of 64 MiB, and a few bytes. */
        HUGE_LENGTH_WITHIN_MAX
    }

    /** How the peer stops. */
    enum Ending
    {
        /** Closes normally: the reader sees the end of the stream. */
        CLOSE,
        /** Goes away abruptly (SO_LINGER 0 on TCP, so the kernel sends a reset). */
        VANISH
    }

    /**
     * A frame as delivered.
     *
     * @param typeId  its type id.
     * @param payload its bytes.
     */
    record Frame(int typeId, List<Byte> payload)
    {
    }

    /**
     * @param kind what to try.
     * @param seed the case's seed.
     * @return the case.
     */
    static HostileInput generate(final Kind kind, final long seed)
    {
        final Random random = new Random(seed);
        final int max = kind == Kind.HUGE_LENGTH_WITHIN_MAX ? HUGE_MAX : MAX;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int validFrames = kind == Kind.SILENT_PEER ? 0 : kind == Kind.SPLIT_INTO_TINY_WRITES ? 1 + random.nextInt(6) :
            random.nextInt(5);
        for (int i = 0; i < validFrames; i++)
        {
            writeFrame(out, random.nextInt(Integer.MAX_VALUE), payload(random, random.nextBoolean() ? random.nextInt(65) :
                random.nextInt(MAX + 1)));
        }
        Ending ending = Ending.CLOSE;
        switch (kind)
        {
            case LENGTH_BELOW_HEADER:
                writeHeader(out, random.nextInt(4) == 0 ? Integer.MIN_VALUE + random.nextInt(1000) : random.nextInt(8) - 1,
                    random.nextInt(Integer.MAX_VALUE));
                out.writeBytes(payload(random, random.nextInt(50)));
                break;
            case LENGTH_ABOVE_MAX:
                writeHeader(out, 8 + MAX + 1 + random.nextInt(Integer.MAX_VALUE - 8 - MAX - 1), random.nextInt(Integer.MAX_VALUE));
                out.writeBytes(payload(random, random.nextInt(50)));
                break;
            case NEGATIVE_TYPE_ID:
                final int length = random.nextInt(MAX + 1);
                writeHeader(out, 8 + length, -1 - random.nextInt(Integer.MAX_VALUE));
                out.writeBytes(payload(random, length));
                break;
            case TRUNCATED_AT_EOF:
                out.writeBytes(cutFrame(random, 1));
                break;
            case VANISHES_MID_FRAME:
                out.writeBytes(cutFrame(random, 8));
                ending = Ending.VANISH;
                break;
            case GARBAGE_AFTER_FRAMES:
                out.writeBytes(payload(random, 1 + random.nextInt(64)));
                break;
            case HUGE_LENGTH_WITHIN_MAX:
                writeHeader(out, 8 + HUGE_MAX / 4 + random.nextInt(HUGE_MAX - HUGE_MAX / 4 + 1), random.nextInt(Integer.MAX_VALUE));
                out.writeBytes(payload(random, random.nextInt(2000)));
                break;
            default:
                break;
        }
        final byte[] bytes = out.toByteArray();
        final Decoded decoded = decode(bytes, max);
        return new HostileInput(kind, max, bytes, writes(random, bytes.length, kind == Kind.SPLIT_INTO_TINY_WRITES ? 3 : 4096),
            ending, decoded.frames, decoded.failureText);
    }

    /**
     * The reference decoder: frames in order until the first breach of the format.
     */
    private static Decoded decode(final byte[] bytes, final int max)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final List<Frame> frames = new ArrayList<>();
        int position = 0;
        while (true)
        {
            final int remaining = bytes.length - position;
            if (remaining == 0)
            {
                return new Decoded(frames, null);
            }
            if (remaining < 4)
            {
                return new Decoded(frames, "missing=" + (8 - remaining));
            }
            final int length = buffer.getInt(position);
            if (length < 8 || length > 8 + max)
            {
                return new Decoded(frames, "frameLength=" + length);
            }
            if (remaining < 8)
            {
                return new Decoded(frames, "missing=" + (8 - remaining));
            }
            final int typeId = buffer.getInt(position + 4);
            if (typeId < 0)
            {
                return new Decoded(frames, "typeId=" + typeId);
            }
            if (remaining < length)
            {
                return new Decoded(frames, "missing=" + (length - remaining));
            }
            final List<Byte> payload = new ArrayList<>();
            for (int k = position + 8; k < position + length; k++)
            {
                payload.add(bytes[k]);
            }
            frames.add(new Frame(typeId, payload));
            position += length;
        }
    }

    private record Decoded(List<Frame> frames, String failureText)
    {
    }

    private static byte[] cutFrame(final Random random, final int minimumCut)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        writeFrame(frame, random.nextInt(Integer.MAX_VALUE), payload(random, 1 + random.nextInt(MAX)));
        final byte[] whole = frame.toByteArray();
        final int cut = minimumCut + random.nextInt(whole.length - minimumCut);
        final byte[] start = new byte[cut];
        System.arraycopy(whole, 0, start, 0, cut);
        return start;
    }

    private static List<Integer> writes(final Random random, final int total, final int largest)
    {
        final List<Integer> writes = new ArrayList<>();
        for (int left = total; left > 0; )
        {
            final int size = Math.min(left, 1 + random.nextInt(largest));
            writes.add(size);
            left -= size;
        }
        return writes;
    }

    private static byte[] payload(final Random random, final int length)
    {
        final byte[] payload = new byte[length];
        random.nextBytes(payload);
        return payload;
    }

    private static void writeFrame(final ByteArrayOutputStream out, final int typeId, final byte[] payload)
    {
        writeHeader(out, 8 + payload.length, typeId);
        out.writeBytes(payload);
    }

    private static void writeHeader(final ByteArrayOutputStream out, final int frameLength, final int typeId)
    {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(frameLength).putInt(typeId).array());
    }
}
