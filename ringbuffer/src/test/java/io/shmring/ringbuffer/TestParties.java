package io.shmring.ringbuffer;

import io.shmring.ringbuffer.internal.ProducerSlotDescriptor;
import io.shmring.ringbuffer.internal.RingDescriptor;
import io.shmring.ringbuffer.internal.PartyDescriptor;

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
}
