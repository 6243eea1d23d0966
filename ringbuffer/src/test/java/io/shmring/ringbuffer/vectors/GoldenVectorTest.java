package io.shmring.ringbuffer.vectors;

import io.shmring.core.Subscriber;
import io.shmring.core.test.TestPaths;
import io.shmring.ringbuffer.MpscConsumer;
import io.shmring.ringbuffer.RingConfig;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.RingFile;
import io.shmring.ringbuffer.RingKind;
import io.shmring.ringbuffer.SpscConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden vectors of docs/vectors/ against the Java code: the documented operations produce exactly the vector's
 * bytes (masked bytes aside, and the vector masks exactly the documented ones), and a consumer attaching to the
 * vector's bytes delivers the documented messages. With {@code -Dshmring.vectors.regenerate=true} the vectors are
 * rewritten from what the code produces (docs/vectors/README.md; never set in CI).
 */
class GoldenVectorTest
{
    private static final String REGENERATE_PROPERTY = "shmring.vectors.regenerate";

    private final List<Path> paths = new ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        paths.forEach(TestPaths::deleteQuietly);
    }

    @ParameterizedTest
    @EnumSource(GoldenVector.class)
    void shouldProduceTheVectorsBytesFromTheDocumentedOperations(final GoldenVector vector) throws IOException
    {
        final byte[] produced = vector.produce(newPath("produce"));
        final boolean[] mask = RingFileAnnotator.mask(produced);
        final Path file = vectorDirectory().resolve(vector.fileName());
        if (Boolean.getBoolean(REGENERATE_PROPERTY))
        {
            Files.writeString(file, HexVector.write(produced, mask, RingFileAnnotator.annotate(produced), vector.comments()));
        }
        final HexVector expected = HexVector.parse(Files.readAllLines(file, StandardCharsets.US_ASCII));
        assertEquals(expected.bytes().length, produced.length, vector.fileName() + ": file length");
        assertArrayEquals(RingFileAnnotator.mask(expected.bytes()), expected.masked(),
            vector.fileName() + " must mask exactly the documented bytes");
        final byte[] expectedBytes = expected.bytes();
        for (int i = 0; i < produced.length; i++)
        {
            if (!mask[i] && produced[i] != expectedBytes[i])
            {
                fail(String.format("%s: byte at offset 0x%06x (%d) is 0x%02x, the vector says 0x%02x",
                    vector.fileName(), i, i, produced[i] & 0xFF, expectedBytes[i] & 0xFF));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GoldenVector.class)
    void shouldDeliverTheDocumentedMessagesFromTheVectorsBytes(final GoldenVector vector) throws IOException
    {
        final HexVector parsed = HexVector.parse(Files.readAllLines(vectorDirectory().resolve(vector.fileName())));
        final Path path = newPath("read");
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(path, parsed.bytes());
        try (RingFile file = RingFile.open(path))
        {
            final RingConfig config = vector.config();
            assertEquals(config.kind(), file.kind());
            assertEquals(config.capacity(), file.capacity());
            assertEquals(config.maxMessageLength(), file.maxMessageLength());
            assertEquals(config.producerSlots(), file.producerSlots());
            assertEquals(config.wakeMechanism(), file.wakeMechanism());
            try (Subscriber consumer = file.kind() == RingKind.SPSC ? new SpscConsumer(file) : new MpscConsumer(file))
            {
                assertEquals(vector.delivered(), Message.poll(consumer));
                assertEquals(file.producerPosition() - file.consumerPosition(), pendingAfterDelivery(vector),
                    "bytes left between head and tail");
                if (vector == GoldenVector.SPSC_WRAPPED)
                {
                    assertTrue(consumer.isEndOfStream(), "the producer closed: the stream has ended once all is read");
                }
                if (vector == GoldenVector.MPSC_CLAIMS)
                {
                    final byte[] consumed = new byte[48 - 16];
                    file.data().getBytes(16, consumed);
                    assertArrayEquals(new byte[consumed.length], consumed, "the consumer zeroes what it consumed");
                    assertEquals(48, file.buffer().getLongVolatile(RingDescriptor.RELEASE_TARGET_OFFSET));
                }
            }
        }
    }

    @Test
    void shouldRejectAVectorWithAGapBetweenLines()
    {
        final List<String> lines = List.of("length 32", "0x000000  zero 8", "0x000010  zero 16");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> HexVector.parse(lines));
        assertTrue(ex.getMessage().contains("line 3"), ex.getMessage());
    }

    @Test
    void shouldRejectAVectorShorterThanItsLength()
    {
        final List<String> lines = List.of("length 32", "0x000000  01 02 03 ; three bytes");
        assertThrows(IllegalArgumentException.class, () -> HexVector.parse(lines));
    }

    @Test
    void shouldRoundTripBytesMaskAndZeroRunsThroughTheFormat()
    {
        final byte[] bytes = new byte[100];
        bytes[3] = 7;
        bytes[60] = (byte)0xFF;
        final boolean[] masked = new boolean[100];
        masked[40] = true;
        final List<HexVector.Annotation> annotations = List.of(new HexVector.Annotation(0, 8, "a; field"),
            new HexVector.Annotation(32, 16, "masked inside"));
        final String text = HexVector.write(bytes, masked, annotations, List.of("comment"));
        final HexVector parsed = HexVector.parse(HexVector.lines(text));
        assertArrayEquals(bytes, parsed.bytes(), text);
        assertArrayEquals(masked, parsed.masked(), text);
        assertTrue(text.contains("zero 24"), text);
    }

    private static long pendingAfterDelivery(final GoldenVector vector)
    {
        return vector == GoldenVector.MPSC_CLAIMS ? 16 : 0; // the open claim stays between head and tail
    }

    private Path newPath(final String what)
    {
        final Path path = TestPaths.uniqueShmPath("vector-" + what);
        paths.add(path);
        return path;
    }

    private static Path vectorDirectory()
    {
        final Path directory = Path.of(System.getProperty("basedir", "."), "..", "docs", "vectors").normalize();
        if (!Files.isDirectory(directory))
        {
            throw new IllegalStateException("no vector directory (tests run in the ringbuffer module): " +
                directory.toAbsolutePath());
        }
        return directory;
    }
}
