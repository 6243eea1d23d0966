package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.core.internal.ChildJvm;
import io.shmring.core.test.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files whose pages cannot all be mapped (issue 13, case 7): a ring truncated before it is opened, and a sparse ring on
 * a full tmpfs, are exceptions at open, never a fault later. Truncating a ring while it is mapped is unsupported and
 * not tried here (a SIGBUS in native code kills the JVM): the CLI's handling of that is tested in the examples module.
 */
class RingFileFaultTest
{
    private final Path path = TestPaths.uniqueShmPath("fault");

    @AfterEach
    void cleanUp()
    {
        TestPaths.deleteQuietly(path);
    }

    @Test
    void shouldRefuseARingTruncatedBeforeItIsOpened() throws IOException
    {
        RingFile.create(path, RingConfig.spsc(1 << 16)).close();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.truncate(RingDescriptor.fileLength(1 << 16, 0) / 2);
        }

        final InvalidRingFileException ex = assertThrows(InvalidRingFileException.class, () -> RingFile.open(path));
        assertTrue(ex.getMessage().contains("shorter than its header says"), ex.getMessage());
    }

    @Test
    void shouldRefuseASparseRingOnAFullTmpfsAtOpen() throws Exception
    {
        assumeTrue(canMountInOwnNamespace(), "needs unshare -m and mount (root): not available here");
        final List<String> java = ChildJvm.builder(SparseRingChild.class, "/mnt/ring", String.valueOf(1 << 16)).command();
        // a private mount namespace with a 32 KiB tmpfs: the header page fits, the 64 KiB of data cannot be backed
        final String script = "mount -t tmpfs -o size=32k tmpfs /mnt && exec \"$@\"";
        final List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c", script, "sh"));
        command.addAll(java);
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not end");
        System.out.println("sparse ring on a full tmpfs: " + out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.startsWith(InvalidRingFileException.class.getName() + ": a page of the file cannot be backed"), out);
        assertTrue(out.contains("errno=28"), "ENOSPC: " + out);
    }

    private static boolean canMountInOwnNamespace() throws InterruptedException
    {
        try
        {
            final Process probe = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /mnt")
                .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
