package io.shmring.ringbuffer.internal;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real machine's answers: this process's identity, and a probe that tells running processes from exited,
 * recycled and zombie ones.
 */
class LinuxHostTest
{
    private final LinuxHost host = LinuxHost.INSTANCE;

    @Test
    void shouldKnowThisProcessesIdentity()
    {
        assertEquals(ProcessHandle.current().pid(), host.pid());
        assertTrue(host.startTicks() > 0, "start ticks from /proc/self/stat");
        assertTrue(host.pidNamespace() > 0, "pid namespace inode from /proc/self/ns/pid");
        assertNotEquals(0, host.bootId(), "boot id from /proc/sys/kernel/random/boot_id");
        assertEquals(PartyDescriptor.DEFAULT_STALE_AFTER_MS, host.staleAfterMs());
    }

    /**
     * The identity values as docs/LAYOUT.md section 6 tells a peer in another language to read them, read here by those
     * words and compared with Java's (issue 19: a boot id taken as the first 10 characters, dash included, made Java
     * judge a live C peer dead).
     */
    @Test
    void shouldReadTheIdentityValuesAsLayoutSectionSixSays() throws Exception
    {
        final String uuid = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        assertEquals('-', uuid.charAt(8), uuid); // the first 10 characters are not 10 hex digits
        assertEquals(Long.parseUnsignedLong(uuid.replace("-", "").substring(0, 10), 16), host.bootId(), uuid);

        final String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        final Matcher namespace = Pattern.compile("pid:\\[([0-9]+)]").matcher(link);
        assertTrue(namespace.matches(), link);
        assertEquals(Long.parseLong(namespace.group(1)) & PartyDescriptor.VALUE_MASK, host.pidNamespace(), link);

        final String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
        final List<String> fromState = List.of(stat.substring(stat.lastIndexOf(')') + 1).strip().split(" "));
        assertEquals(Long.parseLong(fromState.get(22 - 3)), host.startTicks(), "field 22, counting the state as field 3: " + stat);
    }

    @Test
    void shouldProbeThisProcessRunningAndAnotherStartTimeGone()
    {
        assertEquals(Host.Probe.RUNNING, host.probe(host.pid(), host.startTicks()));
        assertEquals(Host.Probe.GONE, host.probe(host.pid(), host.startTicks() + 1), "same pid, other process: recycled");
    }

    @Test
    void shouldProbeAnExitedProcessGone() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        assertEquals(Host.Probe.GONE, host.probe((int)process.pid(), 0));
    }

    @Test
    void shouldProbeAZombieGone() throws Exception
    {
        // sh starts a short child, then becomes "sleep", which never reaps it: the child stays a zombie
        final Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & echo $!; exec sleep 120").start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII)))
        {
            final int zombie = Integer.parseInt(out.readLine().trim());
            final Path stat = Path.of("/proc/" + zombie + "/stat");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only a machine that never runs sleep misses it
            while (!Files.readString(stat).contains(") Z ") && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(stat).contains(") Z "), "the child became a zombie");
            assertEquals(Host.Probe.GONE, host.probe(zombie, 0), "a zombie runs no more, though kill(pid, 0) succeeds");
        }
        finally
        {
            parent.destroyForcibly().waitFor();
        }
    }
}
