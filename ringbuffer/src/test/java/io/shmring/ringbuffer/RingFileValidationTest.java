package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.NotFoundException;
import io.shmring.core.AlreadyExistsException;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.StandardOpenOption;

import static io.shmring.ringbuffer.internal.RingDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingFileValidationTest
{
    private final Path path = TestPaths.uniqueShmPath("validate");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldRoundTripHeaderFieldsThroughCreateAndOpen()
    {
        final RingConfig config = RingConfig.spsc(1 << 16).withMaxMessageLength(1000);
        try (RingFile created = RingFile.create(path, config); RingFile opened = RingFile.open(path, RingKind.SPSC))
        {
            assertEquals(RingKind.SPSC, opened.kind());
            assertEquals(1 << 16, opened.capacity());
            assertEquals(1000, opened.maxMessageLength());
            assertEquals(ProcessHandle.current().pid(), opened.creatorPid());
            assertEquals(created.creationTimeMs(), opened.creationTimeMs());
            assertEquals(config.fileLength(), opened.buffer().capacity());
            assertEquals(8192, dataStart(0));
        }
    }

    @Test
    void shouldRejectWrongMagic() throws IOException
    {
        createValidRing();
        writeLong(MAGIC_OFFSET, 0x1122334455667788L);
        assertRefusedUntouched("magic=0x1122334455667788");
    }

    @Test
    void shouldRejectRingThatIsNotInitialised() throws IOException
    {
        createValidRing();
        writeLong(MAGIC_OFFSET, 0);
        assertRefusedUntouched("magic=0");
    }

    @Test
    void shouldRejectUnknownLayoutVersion() throws IOException
    {
        createValidRing();
        writeInt(LAYOUT_VERSION_OFFSET, 99);
        assertRefusedUntouched("version=99");
    }

    @Test
    void shouldRejectMpscFileOpenedAsSpsc() throws IOException
    {
        try (RingFile ignored = RingFile.create(path, RingConfig.mpsc(4096)))
        {
            assertTrue(ignored.producerSlots() > 0);
        }
        final byte[] before = Files.readAllBytes(path);
        final IncompatibleRingException ex =
            assertThrows(IncompatibleRingException.class, () -> RingFile.open(path, RingKind.SPSC));
        assertEquals(List.of("kind", "MPSC", "SPSC"), List.of(ex.field(), ex.actual(), ex.expected()));
        assertTrue(ex.getMessage().contains("kind=MPSC") && ex.getMessage().contains("kind=SPSC"), ex.getMessage());
        assertArrayEquals(before, Files.readAllBytes(path));
    }

    @Test
    void shouldRejectUnknownRingKind() throws IOException
    {
        createValidRing();
        writeInt(RING_KIND_OFFSET, 7);
        assertRefusedUntouched("kind=7");
    }

    @Test
    void shouldRejectCapacityThatIsNotPowerOfTwo() throws IOException
    {
        createValidRing();
        writeInt(CAPACITY_OFFSET, 4000);
        assertRefusedUntouched("capacity must be a power of 2: capacity=4000");
    }

    @Test
    void shouldRejectMaxMessageLengthTooLargeForCapacity() throws IOException
    {
        createValidRing();
        writeInt(MAX_MESSAGE_LENGTH_OFFSET, 4096);
        assertRefusedUntouched("maxMessageLength=4096");
    }

    @Test
    void shouldRejectFileShorterThanItsHeaderSays() throws IOException
    {
        createValidRing();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.truncate(dataStart(0) + 1024);
        }
        assertRefusedUntouched("length=" + (dataStart(0) + 1024) + " header=" + (dataStart(0) + 4096));
    }

    @Test
    void shouldRejectFileTooShortToHoldAHeader() throws IOException
    {
        Files.write(Files.createFile(path, TestPaths.ownerOnly()), new byte[100]);
        assertRefusedUntouched("length=100");
    }

    @Test
    void shouldRejectHeaderWhoseFileLengthDisagreesWithCapacity() throws IOException
    {
        createValidRing();
        writeLong(FILE_LENGTH_OFFSET, 1L << 40);
        assertRefusedUntouched("fileLength=" + (1L << 40));
    }

    @Test
    void shouldReportMissingFileClearly()
    {
        final NotFoundException ex = assertThrows(NotFoundException.class, () -> RingFile.open(path));
        assertEquals(path, ex.path());
        assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
    }

    @Test
    void shouldRejectBadConfigsNamingTheValue()
    {
        final IllegalArgumentException notPowerOfTwo =
            assertThrows(IllegalArgumentException.class, () -> RingConfig.spsc(1000));
        assertEquals("capacity must be a power of 2: capacity=1000", notPowerOfTwo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingConfig.spsc(32));
        final IllegalArgumentException tooLong =
            assertThrows(IllegalArgumentException.class, () -> RingConfig.spsc(4096).withMaxMessageLength(3000));
        assertTrue(tooLong.getMessage().contains("maxMessageLength=3000"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingConfig.mpsc(4096).withProducerSlots(-1));
        assertFalse(Files.exists(path));
    }

    @Test
    void shouldRefuseToCreateOverAnExistingFileAndLeaveItAlone() throws IOException
    {
        Files.write(path, new byte[]{ 1, 2, 3 });
        assertEquals(path, assertThrows(AlreadyExistsException.class, () -> RingFile.create(path, RingConfig.spsc(4096))).path());
        assertArrayEquals(new byte[]{ 1, 2, 3 }, Files.readAllBytes(path));
    }

    private void createValidRing()
    {
        try (RingFile ignored = RingFile.create(path, RingConfig.spsc(4096)))
        {
            assertEquals(RingKind.SPSC, ignored.kind());
        }
    }

    private void assertRefusedUntouched(final String expectedInMessage) throws IOException
    {
        final byte[] before = Files.readAllBytes(path);
        final InvalidRingFileException ex = assertThrows(InvalidRingFileException.class, () -> RingFile.open(path));
        assertTrue(ex.getMessage().contains(expectedInMessage), ex.getMessage());
        assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
        assertArrayEquals(before, Files.readAllBytes(path), "a refused file must be left as it was");
    }

    private void writeInt(final int offset, final int value) throws IOException
    {
        write(offset, ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    private void writeLong(final int offset, final long value) throws IOException
    {
        write(offset, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private void write(final int offset, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.write(bytes, offset);
        }
    }
}
