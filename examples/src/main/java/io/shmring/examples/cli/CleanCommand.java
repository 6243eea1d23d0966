package io.shmring.examples.cli;

import io.shmring.core.FileAccess;
import io.shmring.core.NotFoundException;
import io.shmring.examples.stat.RingSnapshot;
import io.shmring.ringbuffer.BroadcastSlotStatus;
import io.shmring.ringbuffer.RingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shmring clean [DIR...]}: delete the ring files crashes left behind. A ring is deleted only when no live process
 * holds any role in it (docs/LAYOUT.md section 6) and it holds no unread message (broadcast: no consumer slot a process
 * held, dead now, still reads behind the producer's position); {@code --force} also deletes such rings
 * with unread messages, saying what is lost. A ring with a live party is never touched. The deletion itself runs the
 * layout's retiring protocol (section 2.3), so a process attaching at that moment either keeps the ring or is told it is
 * gone. A ring this user may not delete (another user's, or one others have access to, which {@link RingFile#open}
 * refuses; or one in a directory it may not write) is an error, with {@code --dry-run} too. Prints one line per ring;
 * exit 1 if any ring could not be examined or deleted.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = "Delete ring files no live process uses (default /dev/shm); unread messages only with --force.")
public final class CleanCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "DIR", description = "Directories to clean (default /dev/shm).")
    private List<Path> directories = List.of();

    @Option(names = "--dry-run", description = "Say what would be deleted; delete nothing.")
    private boolean dryRun;

    @Option(names = "--force", description = "Also delete unused rings that hold unread messages (they are lost).")
    private boolean force;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        boolean failed = false;
        for (final Path path : RingTargets.scan(directories))
        {
            try
            {
                out.println(clean(path));
            }
            catch (final RuntimeException ex)
            {
                if (ex instanceof NotFoundException || !Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                {
                    // another cleaner (or the ring's own consumer) deleted it: whatever failed here failed for that
                    out.println("gone     " + path + " (deleted by another process since the directory was listed)");
                }
                else
                {
                    ErrorReporter.reportAndContinue(spec, path, ex);
                    failed = true;
                }
            }
            out.flush();
        }
        for (final Path directory : RingTargets.directories(directories))
        {
            failed |= cleanTemporaries(directory, out);
        }
        return failed ? 1 : 0;
    }

    /**
     * The temporary files of creators that died before linking their ring at its path (docs/LAYOUT.md 2.1): deleted when
     * no process holds their creation lock; a dry run names the same files, judged the same way (it only probes the locks).
     *
     * @return true if the directory could not be examined.
     */
    private boolean cleanTemporaries(final Path directory, final PrintWriter out)
    {
        try
        {
            final String verb = dryRun ? "would delete " : "deleted  ";
            for (final Path abandoned : dryRun ? RingFile.findAbandonedTemporaries(directory) :
                RingFile.removeAbandonedTemporaries(directory))
            {
                out.println(verb + abandoned + " (its creator died before linking it at its path)");
            }
            out.flush();
            return false;
        }
        catch (final RuntimeException ex)
        {
            ErrorReporter.reportAndContinue(spec, directory, ex);
            return true;
        }
    }

    private String clean(final Path path)
    {
        final RingSnapshot snapshot;
        try (RingFile ring = RingFile.openReadOnly(path))
        {
            snapshot = RingSnapshot.of(ring);
        }
        if (snapshot.hasLiveParty())
        {
            return "kept     " + path + " (in use by a live process)";
        }
        final String unread = unread(snapshot);
        if (unread != null && !force)
        {
            final String refusal = deletionRefusal(path);
            return "kept     " + path + " (" + unread + "; " + (refusal == null ? "--force deletes it" :
                "--force would not delete it: " + refusal) + ")";
        }
        checkDeletable(path); // before the dry run's answer too, so it promises only what the real run does
        if (dryRun)
        {
            return "would delete " + path + (unread == null ? "" : " (" + unread + " would be lost)");
        }
        try (RingFile ring = RingFile.open(path))
        {
            if (!ring.deleteIfAbandoned(force))
            {
                return "kept     " + path + " (a process attached or another cleaner is deciding meanwhile, or its ring " +
                    "state says it is being retired or was retired: see stat)";
            }
            // What was lost is read from the file just deleted, not from the first look: a process may have published
            // and gone in between (or the path may name another file by now). The retiring protocol left it frozen: no
            // role was held when it decided, and every process attaching since sees it retired and opens the path anew.
            return "deleted  " + path + lostIn(ring);
        }
    }

    /**
     * @param deleted a ring this process has just deleted (still mapped).
     * @return " (lost ...)" naming what it held, "" if nothing; it is deleted whatever this finds, so a ring that
     *         cannot be read any more is said to be deleted with that reason.
     */
    private static String lostIn(final RingFile deleted)
    {
        try
        {
            final String lost = unread(RingSnapshot.of(deleted));
            return lost == null ? "" : " (lost " + lost + ")";
        }
        catch (final RuntimeException ex)
        {
            return " (what it held cannot be read: " + ex.getMessage() + ")";
        }
    }

    /**
     * What the deletion needs besides an abandoned ring, checked without opening it for writing: the owner and mode
     * {@link RingFile#open(Path)} requires (this user's file, nobody else given access: the check it makes), permission
     * to write the file, and permission to remove it from its directory.
     *
     * @throws io.shmring.core.InsecureFileException if the file is another user's, or others have access to it.
     * @throws IllegalStateException if this process may not write the file or its directory.
     */
    private static void checkDeletable(final Path path)
    {
        FileAccess.checkOwnerAndMode(path, null);
        if (!Files.isWritable(path))
        {
            throw new IllegalStateException("cannot delete it: this user may not write it (mode " + mode(path) + ")");
        }
        final Path directory = path.toAbsolutePath().getParent();
        if (directory != null && !Files.isWritable(directory))
        {
            throw new IllegalStateException("cannot delete it: this user may not write its directory " + directory +
                " (mode " + mode(directory) + ")");
        }
    }

    /**
     * @return why this user could not delete the ring, or null if it could.
     */
    private static String deletionRefusal(final Path path)
    {
        try
        {
            checkDeletable(path);
            return null;
        }
        catch (final RuntimeException ex)
        {
            return ex.getMessage();
        }
    }

    private static String mode(final Path path)
    {
        try
        {
            return String.format("%04o", (Integer)Files.getAttribute(path, "unix:mode") & 07777);
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    /**
     * @return what the ring still holds for a consumer, or null if nothing.
     */
    private static String unread(final RingSnapshot snapshot)
    {
        if (snapshot.broadcast() != null)
        {
            return broadcastUnread(snapshot);
        }
        if (snapshot.pendingBytes() == 0)
        {
            return null;
        }
        if (snapshot.pendingBytes() < 0 || snapshot.pendingBytes() > snapshot.capacity())
        {
            return String.format("corrupt positions: head=%,d tail=%,d", snapshot.head(), snapshot.tail());
        }
        if (snapshot.pending().corruption() != null)
        {
            return String.format("%,d unread bytes, corrupt after %,d messages", snapshot.pendingBytes(),
                snapshot.pending().messages());
        }
        return snapshot.pending().isKnown() ?
            String.format("%,d unread message%s, %,d bytes", snapshot.pending().messages(),
                snapshot.pending().messages() == 1 ? "" : "s", snapshot.pendingBytes()) :
            String.format("%,d unread bytes", snapshot.pendingBytes());
    }

    /**
     * A broadcast ring's messages belong to each consumer at its own position: unread means a slot some process held
     * (dead now, or the ring would be in use) still reads behind the producer.
     *
     * @return the slots' unread bytes, or null if every held slot had read everything.
     */
    private static String broadcastUnread(final RingSnapshot snapshot)
    {
        final List<BroadcastSlotStatus> unread = snapshot.broadcast().unreadSlots(snapshot.tail());
        if (unread.isEmpty())
        {
            return null;
        }
        final StringBuilder text = new StringBuilder();
        for (final BroadcastSlotStatus slot : unread)
        {
            text.append(text.length() == 0 ? "" : ", ").append(String.format("consumer slot %d (pid %d) %,d unread bytes",
                slot.slot(), slot.party().pid(), slot.lagBytes(snapshot.tail())));
        }
        return text.toString();
    }
}
