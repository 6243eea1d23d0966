package io.shmring.ringbuffer;

import io.shmring.core.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Exclusive attachment of one role (the SPSC producer, the consumer) to a ring, recorded as a
 * (pid, start time) pair in the control block. A second live attacher is refused with a clear
 * error; the record of a dead process is taken over.
 */
final class RingOwnership
{
    private final AtomicBuffer buffer;
    private final int pidOffset;
    private final int startTimeOffset;
    private boolean held;

    private RingOwnership(final AtomicBuffer buffer, final int pidOffset, final int startTimeOffset)
    {
        this.buffer = buffer;
        this.pidOffset = pidOffset;
        this.startTimeOffset = startTimeOffset;
    }

    /**
     * @param file            the ring.
     * @param pidOffset       where the owner's pid lives.
     * @param startTimeOffset where the owner's start time lives.
     * @param role            name of the role, for the error message.
     * @return the held ownership.
     * @throws IllegalStateException if a live process (this one included) holds the role.
     */
    static RingOwnership acquire(final RingFile file, final int pidOffset, final int startTimeOffset, final String role)
    {
        final AtomicBuffer buffer = file.buffer();
        final long self = ProcessIdentity.currentPid();
        while (true)
        {
            final long owner = buffer.getLongAcquire(pidOffset); // acquire: pairs with the owner's start-time release
            if (owner != 0)
            {
                final long ownerStart = buffer.getLongAcquire(startTimeOffset); // acquire: written after the pid CAS
                if (ProcessIdentity.isAlive(owner, ownerStart))
                {
                    throw new IllegalStateException(
                        role + " already attached to ring: pid=" + owner + " path=" + file.path());
                }
            }
            if (buffer.compareAndSetLong(pidOffset, owner, self))
            {
                buffer.putLongRelease(startTimeOffset, ProcessIdentity.currentStartTimeMs()); // release: readers of the pid see our start time next
                final RingOwnership ownership = new RingOwnership(buffer, pidOffset, startTimeOffset);
                ownership.held = true;
                return ownership;
            }
        }
    }

    /**
     * Give the role up so another process may attach. Idempotent.
     */
    void release()
    {
        if (held)
        {
            held = false;
            buffer.putLongRelease(startTimeOffset, 0); // release: cleared before the pid, so no reader pairs our pid with a stale time
            buffer.compareAndSetLong(pidOffset, ProcessIdentity.currentPid(), 0);
        }
    }
}
