package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.test.TestPaths;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Creating a ring never leaves a half-made file at its path, a half-made file whose creator is gone does not block
 * the path for good, and an opener waits for a creator that is still writing (docs/LAYOUT.md section 2.1).
 */
class RingFileCreationTest
{
    private static final long GENEROUS_MS = 60_000;

    private final Path path = TestPaths.uniqueShmPath("creation");

    @AfterEach
    void tearDown() throws Exception
    {
        Files.deleteIfExists(path);
    }

    @Test
    void shouldLeaveNothingBehindWhenCreationFailsForLackOfSpace() throws Exception
    {
        final Path dir = Files.createTempDirectory("shmring-small-tmpfs");
        try
        {
            final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
            assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "skipped: cannot mount a small tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
            try
            {
                final Path ring = dir.resolve("ring");
                final UncheckedIOException full =
                    assertThrows(UncheckedIOException.class, () -> RingFile.create(ring, RingConfig.spsc(1 << 20)));
                assertTrue(full.getMessage().startsWith("cannot create " + ring.toAbsolutePath() + " "), "names the ring: " + full.getMessage());
                assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
                try (Stream<Path> left = Files.list(dir))
                {
                    assertEquals(List.of(), left.toList(), "no ring, no temporary file");
                }
                final RingFile small = RingFile.create(ring, RingConfig.spsc(64 * 1024));
                small.close();
                assertTrue(Files.exists(ring), "the path was free for a ring that fits");
            }
            finally
            {
                new ProcessBuilder("umount", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
        finally
        {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void shouldReclaimAHalfMadeFileWhoseCreatorIsGone() throws Exception
    {
        // what an in-place creator that died before publishing the magic leaves: the right size, all zeros
        Files.write(Files.createFile(path, TestPaths.ownerOnly()), new byte[(int)RingConfig.spsc(4096).fileLength()]);
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(10)));
        final InvalidRingFileException refused = assertThrows(InvalidRingFileException.class, () -> RingFile.open(path));
        assertTrue(refused.getMessage().contains("magic=0"), refused.getMessage());

        try (RingFile file = RingFile.openOrCreate(path, RingConfig.spsc(4096), GENEROUS_MS, TimeUnit.MILLISECONDS))
        {
            assertTrue(file.createdHere(), "the abandoned file was deleted and the ring created anew");
            assertEquals(4096, file.capacity());
        }
        try (RingFile again = RingFile.open(path))
        {
            assertEquals(RingKind.SPSC, again.kind());
        }
    }

    @Test
    void shouldWaitForACreatorStillWritingTheFileInPlaceAndOpenItsRing() throws Exception
    {
        final byte[] image = ringImage(RingConfig.mpsc(1 << 20));
        final CountDownLatch begun = new CountDownLatch(1);
        final CompletableFuture<Void> creator = CompletableFuture.runAsync(() -> createInPlace(image, begun));
        assertTrue(begun.await(GENEROUS_MS, TimeUnit.MILLISECONDS));
        try (RingFile file = RingFile.openOrCreate(path, RingConfig.spsc(4096), GENEROUS_MS, TimeUnit.MILLISECONDS))
        {
            assertFalse(file.createdHere());
            assertEquals(RingKind.MPSC, file.kind(), "the other creator's ring, not a new one");
            assertEquals(1 << 20, file.capacity());
        }
        creator.get(GENEROUS_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void shouldSayWhatItSawWhenACreatorNeverFinishesBeforeTheTimeout() throws Exception
    {
        final byte[] image = ringImage(RingConfig.spsc(4096));
        final CountDownLatch begun = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Void> creator = CompletableFuture.runAsync(() ->
        {
            try (FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                TestPaths.ownerOnly());
                 FileLock ignored = channel.lock())
            {
                channel.write(ByteBuffer.wrap(image, 0, 1000)); // too short to be a ring, and it stays so
                begun.countDown();
                release.await(GENEROUS_MS, TimeUnit.MILLISECONDS);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        assertTrue(begun.await(GENEROUS_MS, TimeUnit.MILLISECONDS));
        final InvalidRingFileException ex = assertThrows(InvalidRingFileException.class,
            () -> RingFile.openOrCreate(path, RingConfig.spsc(4096), 300, TimeUnit.MILLISECONDS));
        assertTrue(ex.getMessage().contains("too short") && ex.getMessage().contains("length=1000"), ex.getMessage());
        assertTrue(Files.exists(path), "a file whose creator lives is never deleted");
        release.countDown();
        creator.get(GENEROUS_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void shouldRefuseADirectoryAtOnceSayingWhatItIs() throws Exception
    {
        Files.createDirectory(path);
        assertFalse(assertRefusedWithoutWaiting("not a ring file: it is a directory").mayBeInitialising());
    }

    @Test
    void shouldRefuseAFifoAtOnceSayingWhatItIs() throws Exception
    {
        final Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "skipped: mkfifo failed");
        assertFalse(assertRefusedWithoutWaiting("not a ring file: it is a FIFO").mayBeInitialising());
    }

    /**
     * A used ring whose magic was wiped is not a half-made file (a creator writes the magic last, over zeros): its
     * unread messages must not go with a silent delete and re-create (issue 13 breaker).
     */
    @Test
    void shouldRefuseNotReplaceAUsedRingWhoseMagicWasWiped() throws Exception
    {
        try (RingFile file = RingFile.create(path, RingConfig.spsc(4096)); SpscProducer producer = new SpscProducer(file))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 3; i++)
            {
                assertTrue(producer.offer(1, message, 0, 8));
            }
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(Long.BYTES), RingDescriptor.MAGIC_OFFSET);
        }
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(10)));

        final InvalidRingFileException refused = assertThrows(InvalidRingFileException.class,
            () -> RingFile.openOrCreate(path, RingConfig.spsc(4096), GENEROUS_MS, TimeUnit.MILLISECONDS));
        assertTrue(refused.getMessage().contains("refused, not replaced") && refused.getMessage().contains("tail=48"),
            refused.getMessage());
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer tail = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, RingDescriptor.TAIL_OFFSET);
            assertEquals(48, tail.flip().getLong(), "the file and its three messages are still there");
        }
    }

    @Test
    void shouldRefuseATruncatedRingAtOnce() throws Exception
    {
        RingFile.create(path, RingConfig.spsc(1 << 16)).close();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.truncate(RingDescriptor.fileLength(1 << 16, 0) / 2); // its magic stays: no creator will finish it
        }
        assertRefusedWithoutWaiting("shorter than its header says");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.truncate(100);
        }
        assertRefusedWithoutWaiting("file too short to be a ring: length=100");
        assertTrue(Files.exists(path), "a file that is not ours to reclaim is left alone");
    }

    /**
     * An opener with a timeout of an hour must refuse the file on its first look: only a retry loop, which a file
     * that nobody is creating must not cause, exceeds the test's deadline.
     */
    private InvalidRingFileException assertRefusedWithoutWaiting(final String reason)
    {
        final InvalidRingFileException refused = assertTimeoutPreemptively(Duration.ofMillis(2 * GENEROUS_MS), () ->
            assertThrows(InvalidRingFileException.class, () -> RingFile.openOrCreate(path, RingConfig.spsc(4096), 1, TimeUnit.HOURS)));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
        return refused;
    }

    /**
     * @return the bytes of a complete ring file made with {@code config}.
     */
    private static byte[] ringImage(final RingConfig config) throws Exception
    {
        final Path scratch = TestPaths.uniqueShmPath("creation-image");
        try
        {
            RingFile.create(scratch, config).close();
            return Files.readAllBytes(scratch);
        }
        finally
        {
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * Create the ring in place as another implementation may (docs/LAYOUT.md 2.1): holding the creation lock, a file
     * first too short, then full size with magic 0, then the magic.
     */
    private void createInPlace(final byte[] image, final CountDownLatch begun)
    {
        try (FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            TestPaths.ownerOnly());
             FileLock ignored = channel.lock())
        {
            channel.write(ByteBuffer.wrap(new byte[4000]));
            begun.countDown();
            Thread.sleep(200);
            final byte[] noMagic = image.clone();
            java.util.Arrays.fill(noMagic, 0, Long.BYTES, (byte)0);
            channel.write(ByteBuffer.wrap(noMagic), 0);
            Thread.sleep(200);
            channel.write(ByteBuffer.wrap(image, 0, Long.BYTES), 0);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
