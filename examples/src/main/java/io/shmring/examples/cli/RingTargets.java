package io.shmring.examples.cli;

import io.shmring.core.TransportUri;
import io.shmring.core.internal.CreationTemporaries;
import io.shmring.ringbuffer.internal.RingDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * What the operator's commands ({@code stat}, {@code list}, {@code clean}) take as rings: paths, {@code shm:} URIs, globs
 * on the file name ({@code /dev/shm/md-*}), and directories to scan, where a ring is recognised by its magic.
 */
final class RingTargets
{
    /** Where rings live unless told otherwise. */
    static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

    private RingTargets()
    {
    }

    /**
     * @param arguments paths, {@code shm:} URIs or globs. An argument that names an existing file is that file, even if
     *                  its name has glob characters ({@code lit[1]}).
     * @return the files they name, in order, globs expanded and sorted.
     * @throws IllegalArgumentException if a glob matches nothing or is not a valid glob, or an argument is a URI of
     *                                  another transport or a {@code shm:} URI without a path.
     */
    static List<Path> expand(final List<String> arguments)
    {
        final List<Path> paths = new ArrayList<>();
        for (final String argument : arguments)
        {
            final Path path = pathOf(argument);
            final String name = path.getFileName() == null ? "" : path.getFileName().toString();
            if (!isGlob(name) || Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                paths.add(path);
                continue;
            }
            final Path directory = path.getParent() == null ? Path.of(".") : path.getParent();
            final PathMatcher matcher = globMatcher(name, argument);
            final List<Path> matches = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
            {
                for (final Path entry : entries)
                {
                    if (matcher.matches(entry.getFileName()))
                    {
                        matches.add(entry);
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot list " + directory + " for " + argument, ex);
            }
            if (matches.isEmpty())
            {
                throw new IllegalArgumentException("no file matches " + argument);
            }
            matches.sort(null);
            paths.addAll(matches);
        }
        return paths;
    }

    /**
     * @param directories directories as given; none means {@link #DEFAULT_DIRECTORY}.
     * @return them, checked.
     * @throws IllegalArgumentException if one is empty: "" would mean the current directory, which a script with an
     *         unset variable ({@code shmring clean "$DIR"}) never meant.
     */
    static List<Path> directories(final List<Path> directories)
    {
        for (final Path directory : directories)
        {
            if (directory.toString().isEmpty())
            {
                throw new IllegalArgumentException("an empty directory name (an unset variable?): give a directory, " +
                    "or none for " + DEFAULT_DIRECTORY);
            }
        }
        return directories.isEmpty() ? List.of(DEFAULT_DIRECTORY) : directories;
    }

    /**
     * @param directories directories to scan; none means {@link #DEFAULT_DIRECTORY}.
     * @return every regular file there that {@link #mayBeRing may be a ring}, sorted; other files are ignored, and so
     *         are the temporary files a ring is written under before it is linked at its path (docs/LAYOUT.md 2.1).
     * @throws IllegalArgumentException if a directory name is empty, does not exist or is not a directory.
     * @throws UncheckedIOException if a directory cannot be listed.
     */
    static List<Path> scan(final List<Path> directories)
    {
        final List<Path> rings = new ArrayList<>();
        for (final Path directory : directories(directories))
        {
            if (!Files.exists(directory))
            {
                throw new IllegalArgumentException("no such directory: " + directory);
            }
            if (!Files.isDirectory(directory))
            {
                throw new IllegalArgumentException("not a directory: " + directory);
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
            {
                final List<Path> found = new ArrayList<>();
                for (final Path entry : entries)
                {
                    // a creator's temporary is no ring yet: retiring it would fail the creator's link or, after the
                    // link, mark the ring at the path retired (it is the same file)
                    if (!CreationTemporaries.isTemporary(entry, null) && mayBeRing(entry))
                    {
                        found.add(entry);
                    }
                }
                found.sort(null);
                rings.addAll(found);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot list " + directory, ex);
            }
        }
        return rings;
    }

    /**
     * Read the first 8 bytes with a plain read (no mapping, so a file that changes meanwhile cannot fault this process).
     * A file this process may not read is taken as a possible ring if its length is one a ring can have
     * ({@link RingDescriptor#isPossibleFileLength}), so the operator hears about it when opening it fails, and not about
     * other programs' shared memory.
     *
     * @param path a directory entry.
     * @return true if it is a regular file (not followed through a link) that starts with the ring magic, or that this
     *         process may not read and has a length a ring can have.
     */
    static boolean mayBeRing(final Path path)
    {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final ByteBuffer magic = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (magic.hasRemaining() && channel.read(magic) >= 0)
            {
                // a regular file returns what it has; a short file ends the loop with -1
            }
            return !magic.hasRemaining() && magic.getLong(0) == RingDescriptor.MAGIC;
        }
        catch (final NoSuchFileException ex)
        {
            return false; // gone meanwhile
        }
        catch (final IOException | SecurityException ex)
        {
            return hasRingLength(path); // unreadable: the attempt to show it says why
        }
    }

    private static boolean hasRingLength(final Path path)
    {
        try
        {
            // a length no ring can have is another program's file (a browser's or sound server's shared memory)
            return RingDescriptor.isPossibleFileLength(Files.size(path));
        }
        catch (final IOException ex)
        {
            return false; // gone meanwhile
        }
    }

    private static Path pathOf(final String argument)
    {
        if (argument.contains(":") && !argument.startsWith("/") && !argument.startsWith("."))
        {
            final TransportUri uri = TransportUri.parse(argument);
            if (!"shm".equals(uri.scheme()))
            {
                throw new IllegalArgumentException("not a ring: " + argument + " (only shm: URIs name ring files)");
            }
            if (uri.path().isEmpty())
            {
                throw new IllegalArgumentException("a shm: URI names a ring file by its path, as in shm:/dev/shm/name: uri=" + argument);
            }
            return Path.of(uri.path());
        }
        return Path.of(argument);
    }

    /**
     * @param glob     a file name with glob characters.
     * @param argument the argument it came from, for the message.
     * @return its matcher.
     * @throws IllegalArgumentException if it is not a valid glob.
     */
    private static PathMatcher globMatcher(final String glob, final String argument)
    {
        try
        {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        }
        catch (final PatternSyntaxException ex)
        {
            throw new IllegalArgumentException("not a valid glob, and no file has that name: " + argument + " (" +
                ex.getDescription() + ", at index " + ex.getIndex() + " of " + glob + ")", ex);
        }
    }

    private static boolean isGlob(final String name)
    {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0 || name.indexOf('{') >= 0;
    }
}
