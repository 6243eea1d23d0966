package io.shmring.core;

import io.shmring.core.internal.MappedRegion;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MappedRegionTest
{
    private final Path path = TestPaths.uniqueShmPath("region");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldCreateOwnerOnlyZeroFilledFileOfRequestedLength() throws Exception
    {
        try (MappedRegion region = MappedRegion.create(path, 8192))
        {
            assertEquals(8192, region.length());
            assertEquals(8192, Files.size(path));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            for (int i = 0; i < 8192; i += 8)
            {
                assertEquals(0, region.buffer().getLong(i));
            }
        }
    }

    @Test
    void shouldShareWritesBetweenTwoMappingsOfOneFile()
    {
        try (MappedRegion writer = MappedRegion.create(path, 4096);
            MappedRegion reader = MappedRegion.open(path))
        {
            writer.buffer().putLongRelease(128, 0xCAFEBABEL);
            assertEquals(0xCAFEBABEL, reader.buffer().getLongAcquire(128));
        }
    }

    @Test
    void shouldRefuseToCreateOverAnExistingFile()
    {
        try (MappedRegion existing = MappedRegion.create(path, 4096))
        {
            assertEquals(path, existing.path());
            final AlreadyExistsException ex = assertThrows(AlreadyExistsException.class, () -> MappedRegion.create(path, 4096));
            assertEquals(path, ex.path());
            assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
        }
    }

    @Test
    void shouldRejectOutOfRangeLengthNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> MappedRegion.create(path, 0));
        assertTrue(ex.getMessage().contains("length=0"), ex.getMessage());
        assertFalse(Files.exists(path));
    }

    @Test
    void shouldRejectMissingAndEmptyFiles() throws Exception
    {
        assertEquals(path, assertThrows(NotFoundException.class, () -> MappedRegion.open(path)).path());
        Files.createFile(path);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> MappedRegion.open(path));
        assertTrue(ex.getMessage().contains("length=0"), ex.getMessage());
    }

    @Test
    void shouldAllocatePageAlignedZeroedDirectRegionWithoutFile()
    {
        try (MappedRegion region = MappedRegion.allocateDirect(10_000))
        {
            assertEquals(10_000, region.length());
            assertEquals(0, region.address() % MappedRegion.PAGE_SIZE);
            assertEquals(0, region.buffer().getLong(9_992));
            assertEquals(null, region.path());
            assertFalse(region.delete());
        }
    }

    @Test
    void shouldDeleteFileAndCloseIdempotently()
    {
        final MappedRegion region = MappedRegion.create(path, 4096);
        assertTrue(region.delete());
        assertFalse(Files.exists(path));
        region.close();
        region.close();
        assertTrue(region.isClosed());
    }
}
