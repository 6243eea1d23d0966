package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.LinuxHost;
import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.internal.PartyDescriptor;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Test-side edits of party records: make a role look held by a process that has exited, the way a SIGKILL would
 * leave it, without killing the test JVM.
 */
final class TestParties
{
    private TestParties()
    {
    }

    /**
     * @return the pid of a process that has just exited (and been reaped).
     */
    static int deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return (int)process.pid();
    }

    /**
     * Keep the record's generation and identity, but name an exited process as its holder.
     *
     * @param file         the ring.
     * @param recordOffset file offset of the party record.
     */
    static void makeHolderDead(final RingFile file, final int recordOffset) throws Exception
    {
        final long owner = file.buffer().getLongVolatile(recordOffset + PartyDescriptor.OWNER_OFFSET);
        file.buffer().putLongVolatile(recordOffset + PartyDescriptor.OWNER_OFFSET,
            PartyDescriptor.ownerWord(PartyDescriptor.generation(owner), deadPid()));
    }

    /**
     * @param file the ring.
     * @param slot an MPSC producer slot.
     * @return file offset of the slot's party record.
     */
    static int slotRecord(final RingFile file, final int slot)
    {
        return RingDescriptor.producerSlotOffset(slot) + ProducerSlotDescriptor.PARTY_OFFSET;
    }

    /**
     * @return the record's heartbeat value (CLOCK_MONOTONIC ms, 40 bits).
     */
    static long heartbeat(final RingFile file, final int recordOffset)
    {
        return PartyDescriptor.value(file.buffer().getLongVolatile(recordOffset + PartyDescriptor.HEARTBEAT_OFFSET));
    }

    /**
     * Make an MPSC producer slot held by a process as it writes its record at attach (docs/LAYOUT.md 6): generation 1,
     * this boot, the given pid namespace and pid, a heartbeat stamped at the given time.
     *
     * @param file         the ring.
     * @param slot         an MPSC producer slot.
     * @param pidNamespace the holder's pid namespace (another one than {@link LinuxHost#pidNamespace()}: its pid cannot
     *                     be checked, so it is judged by its heartbeat alone).
     * @param pid          the holder's pid.
     * @param heartbeatMs  its last heartbeat (CLOCK_MONOTONIC ms; {@link LinuxHost#nowMs()} minus more than the
     *                     staleness period: stale).
     */
    static void writeHolder(final RingFile file, final int slot, final long pidNamespace, final int pid, final long heartbeatMs)
    {
        final int record = slotRecord(file, slot);
        final AtomicBuffer buffer = file.buffer();
        buffer.putLongVolatile(record + PartyDescriptor.HEARTBEAT_OFFSET, PartyDescriptor.tagged(1, heartbeatMs));
        buffer.putLongVolatile(record + PartyDescriptor.START_TICKS_OFFSET, PartyDescriptor.tagged(1, 1));
        buffer.putLongVolatile(record + PartyDescriptor.PID_NAMESPACE_OFFSET, PartyDescriptor.tagged(1, pidNamespace));
        buffer.putLongVolatile(record + PartyDescriptor.BOOT_ID_OFFSET, PartyDescriptor.tagged(1, LinuxHost.INSTANCE.bootId()));
        buffer.putLongVolatile(record + PartyDescriptor.OWNER_OFFSET, PartyDescriptor.ownerWord(1, pid));
    }
}
