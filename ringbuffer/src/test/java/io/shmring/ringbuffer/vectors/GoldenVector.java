package io.shmring.ringbuffer.vectors;

import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.MpscProducer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscConsumer;
import io.shmring.ringbuffer.SpscProducer;
import io.shmring.core.Publisher;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden vectors of docs/vectors/: for each, the documented operations (run with the Java code on a ring of the
 * smallest capacity, 64 bytes, with a maximum message length of 24), the comment lines its file starts with, and what a
 * consumer reading its bytes delivers.
 */
enum GoldenVector
{
    SPSC_NEW("spsc-new.hex", RingKind.SPSC, newRing("SPSC", 0), List.of()),

    SPSC_WRAPPED("spsc-wrapped.hex", RingKind.SPSC, List.of(
        "An SPSC ring after a wrap with a padding frame (capacity 64, max message length 24, 0 producer slots, futex):",
        "  1. a producer attaches (stream generation 1); a consumer attaches",
        "  2. the producer offers type 1 \"ABCDEFGHIJKLMNOP\" (frame 24 bytes at position 0)",
        "     and type 2 \"abcdefghijklmnop\" (frame 24 bytes at position 24); tail = 48",
        "  3. the consumer polls both: head = 48",
        "  4. the producer offers type 3 \"0123456789ABCDEFGHIJ\" (frame length 28, 32 bytes aligned): it does not fit",
        "     in the 16 bytes before the end, so a padding frame fills data index 48..63 and the frame goes at index 0;",
        "     tail = 48 + 16 + 32 = 96",
        "  5. the consumer closes, then the producer closes (the stream word becomes generation 1, ended).",
        "Data index 28..31 (the frame's alignment) and 32..47 (outside head..tail) still hold the bytes of the",
        "consumed type 2 frame: SPSC never zeroes. A consumer reading this file delivers type 3 only, then the end of the",
        "stream."),
        List.of(new Message(3, "0123456789ABCDEFGHIJ")))
    {
        @Override
        byte[] produce(final Path path)
        {
            try (RingFile file = RingFile.create(path, config()))
            {
                try (SpscProducer producer = new SpscProducer(file))
                {
                    try (SpscConsumer consumer = new SpscConsumer(file))
                    {
                        offer(producer, 1, "ABCDEFGHIJKLMNOP");
                        offer(producer, 2, "abcdefghijklmnop");
                        Message.pollExactly(consumer, 2);
                        offer(producer, 3, "0123456789ABCDEFGHIJ");
                    }
                }
                return read(path);
            }
        }
    },

    MPSC_NEW("mpsc-new.hex", RingKind.MPSC, newRing("MPSC", 1), List.of()),

    MPSC_CLAIMS("mpsc-claims.hex", RingKind.MPSC, List.of(
        "An MPSC ring with a committed frame, an aborted claim and an open claim (capacity 64, max message length 24,",
        "1 producer slot, futex):",
        "  1. a producer registers in slot 0 (generation 1: claim marker 0x80001000); a consumer attaches",
        "  2. the producer offers type 1 \"first\" (frame length 13, 16 bytes at position 0)",
        "  3. the consumer polls it: release target = 16, data index 0..15 zeroed, head = 16; the consumer closes",
        "  4. the producer offers type 7 \"hello!\" (frame length 14, 16 bytes at position 16): committed",
        "  5. the producer claims type 9 with 3 bytes at position 32, writes \"abc\" and aborts: the header becomes",
        "     padding of 16 bytes (length 16, type id -1); the payload bytes stay until the consumer zeroes them",
        "  6. the producer claims type 5 with 4 bytes at position 48 and writes \"wxyz\": header = length -12,",
        "     claim marker; tail = 64. The dump is taken here, with the producer still registered.",
        "A consumer reading this file delivers type 7 \"hello!\", skips the padding and stops at the open claim",
        "(head = 48): the claim's owner is judged only after the claim timeout."),
        List.of(new Message(7, "hello!")))
    {
        @Override
        byte[] produce(final Path path)
        {
            try (RingFile file = RingFile.create(path, config()); MpscProducer producer = new MpscProducer(file))
            {
                try (MpscConsumer consumer = new MpscConsumer(file))
                {
                    offer(producer, 1, "first");
                    Message.pollExactly(consumer, 1);
                }
                offer(producer, 7, "hello!");
                final int aborted = producer.tryClaim(9, 3);
                producer.buffer().putBytes(aborted, bytes("abc"));
                producer.abort(aborted);
                final int open = producer.tryClaim(5, 4);
                producer.buffer().putBytes(open, bytes("wxyz"));
                final byte[] bytes = read(path);
                producer.abort(open);
                return bytes;
            }
        }
    };

    /** Configuration of the SPSC vectors: the smallest capacity, no producer slots. */
    static final RingConfig SPSC = new RingConfig(RingKind.SPSC, 64, 24, 0);
    /** Configuration of the MPSC vectors: the smallest capacity, one producer slot. */
    static final RingConfig MPSC = new RingConfig(RingKind.MPSC, 64, 24, 1);

    private final String fileName;
    private final RingKind kind;
    private final List<String> description;
    private final List<Message> delivered;

    GoldenVector(final String fileName, final RingKind kind, final List<String> description, final List<Message> delivered)
    {
        this.fileName = fileName;
        this.kind = kind;
        this.description = description;
        this.delivered = delivered;
    }

    /**
     * Run the documented operations on a new ring file at {@code path}; by default only create it.
     *
     * @param path where to create it; must not exist. The caller deletes it.
     * @return the file's bytes where the description says the dump is taken.
     */
    byte[] produce(final Path path)
    {
        RingFile.create(path, config()).close();
        return read(path);
    }

    /**
     * @return the configuration of the vector's ring.
     */
    RingConfig config()
    {
        return kind == RingKind.SPSC ? SPSC : MPSC;
    }

    String fileName()
    {
        return fileName;
    }

    /**
     * @return the vector's first lines: what it shows and which bytes it masks.
     */
    List<String> comments()
    {
        final List<String> comments = new ArrayList<>();
        comments.add("shmring golden vector " + fileName + " (layout version 2; format: docs/vectors/README.md)");
        comments.add("");
        comments.addAll(description);
        comments.add("");
        comments.add("Masked (xx): header creator pid, creator start time, creation time (offsets 48..71); in each party");
        comments.add("record the ring kind uses that was ever attached (generation not 0), the owner pid (+0..+3) and the");
        comments.add("40-bit value of each tagged word (+8..+12 heartbeat, +16..+20 start ticks, +24..+28 pid namespace,");
        comments.add("+32..+36 boot id). A record never attached is zero and not masked.");
        comments.add("Regenerate: mvn -B verify -pl ringbuffer -am -Djcstress.skip=true -Dtest=GoldenVectorTest");
        comments.add("  -Dsurefire.failIfNoSpecifiedTests=false -Dshmring.vectors.regenerate=true (never in CI).");
        return comments;
    }

    /**
     * @return what a consumer attaching to the vector's bytes delivers from one poll, in order.
     */
    List<Message> delivered()
    {
        return delivered;
    }

    private static List<String> newRing(final String kind, final int producerSlots)
    {
        return List.of("A new " + kind + " ring: RingFile.create(path, new RingConfig(" + kind + ", capacity 64, max message " +
            "length 24,", "producer slots " + producerSlots + ", wake mechanism 1 futex)). Nothing attached yet.");
    }

    private static void offer(final Publisher publisher, final int typeId, final String payload)
    {
        final byte[] bytes = bytes(payload);
        if (!publisher.offer(typeId, new UnsafeBuffer(bytes), 0, bytes.length))
        {
            throw new IllegalStateException("the vector's ring refused a documented offer: typeId=" + typeId);
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] read(final Path path)
    {
        try
        {
            return Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
