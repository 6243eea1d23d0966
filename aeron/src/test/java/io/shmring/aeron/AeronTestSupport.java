package io.shmring.aeron;

import io.shmring.core.internal.SharedMemoryDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers of the aeron tests.
 */
final class AeronTestSupport
{
    private AeronTestSupport()
    {
    }

    /**
     * @return a UDP port on 127.0.0.1 free at the time of the call (nothing listens there: a publisher to it is not
     * connected).
     */
    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return embedded driver directories of this JVM present now.
     */
    static List<Path> ownDriverDirectories()
    {
        return driverDirectories(ProcessHandle.current().pid());
    }

    /**
     * @param pid a process.
     * @return embedded driver directories named after that process.
     */
    static List<Path> driverDirectories(final long pid)
    {
        final List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(
            SharedMemoryDirectory.get(), EmbeddedDriver.DIRECTORY_PREFIX + pid + "-*"))
        {
            entries.forEach(found::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return found;
    }
}
