package io.shmring.sync;

import io.shmring.sync.internal.Deadline;
import io.shmring.sync.internal.Membarrier;
import io.shmring.sync.internal.PosixSemaphore;
import io.shmring.sync.internal.WakeLineDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.shmring.sync.internal.WakeLineDescriptor.SEQUENCE_OFFSET;
import static io.shmring.sync.internal.WakeLineDescriptor.WAITERS_OFFSET;
import static io.shmring.sync.internal.WakeLineDescriptor.WAKE_PENDING_OFFSET;

/**
 * An eventcount over one wake line ({@link WakeLineDescriptor}) in shared memory: lets a thread in
 * any process sleep until a condition on shared state holds, while the thread that makes it hold
 * pays one read when nobody sleeps (plus a full fence where the line's {@link WakeProtocol} or this
 * process needs one: {@link #mode()}).
 * <p>
 * Waiter ({@link #await}): register (atomic add to the waiter count), clear the wake-pending flag,
 * read the sequence, full fence, on a {@link WakeProtocol#MEMBARRIER} line also a global expedited
 * membarrier, check the condition, and only if it is still false sleep on the line (futex: only while
 * the sequence is unchanged; semaphore: until a post); deregister on return. Notifier ({@link #signal}),
 * after making the condition true: a full fence unless {@link Mode#MEMBARRIER}, read the waiter count,
 * and only if non-zero and no wake is pending already, set the flag, bump the sequence and wake.
 * Registration (and each clearing of the flag) and publication are each ordered before the other
 * side's field is read (Dekker pairs; docs/LAYOUT.md 4.5): by a full fence on each side, or by the
 * waiter's membarrier, which makes every thread of every registered process pass a full barrier, so
 * the notifier there needs only program order. Either the waiter sees the new state or the notifier
 * sees the waiter (and a cleared flag): a wakeup cannot be lost.
 * <p>
 * Sleeps are bounded by a slice (default {@link #DEFAULT_SLICE_NANOS}) because native waits ignore
 * {@link Thread#interrupt()}; the interrupt status is checked between slices. A slice expiring is
 * not a timeout: the caller's deadline is. Counters separate the ways a sleep ends, so a lost
 * wakeup is measurable: it would show as {@link #readyAfterExpiry()}.
 * <p>
 * An instance is process-local state over the shared line (the end of a ring that waits on, or signals,
 * this line); all its state but the counters is in the line, so threads sharing one end (an MPSC
 * producer) may wait and signal through one instance. Counters may be read from any thread.
 */
public abstract sealed class Eventcount permits FutexEventcount, SemaphoreEventcount
{
    /** Longest single sleep: bounds how late an interrupt is seen (well under 100 ms). */
    public static final long DEFAULT_SLICE_NANOS = 20_000_000L;

    /**
     * Longest single sleep of a waiter in {@link Mode#FENCED_POLLING}: on a {@link WakeProtocol#MEMBARRIER} line whose
     * notifiers in other processes skip their fence, a waiter that cannot issue membarrier may be missed by one of them;
     * it then sees the publication at its next check, at most this long (1 ms) later. A missed wake is late, never lost.
     */
    public static final long MEMBARRIER_UNAVAILABLE_SLICE_NANOS = 1_000_000L;

    /**
     * How this process's users of one line keep the Dekker pair: what the line's {@link WakeProtocol} allows, given
     * whether this process is registered for the global expedited membarrier.
     */
    public enum Mode
    {
        /** A {@link WakeProtocol#FENCED} line: notifiers fence after publishing, waiters fence before their last check. */
        FENCED,
        /**
         * A {@link WakeProtocol#MEMBARRIER} line in a registered process: notifiers skip the fence, waiters fence and
         * issue a global expedited membarrier before their last check.
         */
        MEMBARRIER,
        /**
         * A {@link WakeProtocol#MEMBARRIER} line in a process that cannot issue membarrier (or was told not to by the
         * system property {@code shmring.membarrier=false}): notifiers here fence (a sleeper's membarrier does not reach
         * this process); waiters fence and, since notifiers elsewhere skip theirs, sleep at most
         * {@link #MEMBARRIER_UNAVAILABLE_SLICE_NANOS} at a time.
         */
        FENCED_POLLING
    }

    /** {@link #sleep} result: slept and was woken by a notifier (or a post was already there). */
    static final int WOKEN = 0;
    /** {@link #sleep} result: did not sleep because the futex word had already moved on (a wake raced the sleep). */
    static final int VALUE_CHANGED = 3;
    /** {@link #sleep} result: the sleep's own timeout passed. */
    static final int EXPIRED = 1;
    /** {@link #sleep} result: a signal handler interrupted the native call. */
    static final int SIGNALLED = 2;

    private static final int WAIT_CALLS = 0;
    private static final int WOKEN_WAITS = 1;
    private static final int EXPIRED_WAITS = 2;
    private static final int READY_AFTER_EXPIRY = 3;
    private static final int TIMEOUTS = 4;
    private static final int WAKE_CALLS = 5;
    private static final int WAKES_BEFORE_SLEEP = 6;
    private static final int COUNTERS = 7;

    /** Written by the threads using this instance (atomic adds, only around native calls); readers use opaque reads. */
    private final AtomicLongArray counters = new AtomicLongArray(COUNTERS);
    private final MappingCheck mapping;
    private final AtomicBuffer buffer;
    private final int lineOffset;
    private final int sequenceOffset;
    private final int waitersOffset;
    private final int wakePendingOffset;
    private final Mode mode;
    /** True unless {@link Mode#MEMBARRIER}: the notifier's StoreLoad fence is needed. */
    private final boolean notifierFences;

    Eventcount(final AtomicBuffer buffer, final int lineOffset, final MappingCheck mapping, final WakeProtocol protocol)
    {
        WakeLineDescriptor.checkLine(buffer, lineOffset);
        if (mapping == null)
        {
            throw new NullPointerException("mapping");
        }
        if (protocol == null)
        {
            throw new NullPointerException("protocol");
        }
        if (protocol == WakeProtocol.FENCED)
        {
            this.mode = Mode.FENCED;
        }
        else
        {
            this.mode = Membarrier.isRegistered() ? Mode.MEMBARRIER : Mode.FENCED_POLLING; // registers on first use
        }
        this.notifierFences = mode != Mode.MEMBARRIER;
        this.mapping = mapping;
        this.buffer = buffer;
        this.lineOffset = lineOffset;
        this.sequenceOffset = lineOffset + SEQUENCE_OFFSET;
        this.waitersOffset = lineOffset + WAITERS_OFFSET;
        this.wakePendingOffset = lineOffset + WAKE_PENDING_OFFSET;
    }

    /**
     * An eventcount on a {@link WakeProtocol#FENCED} line, using the given mechanism. Creating one makes no native
     * call: the native library is bound on the first sleep or wake, so rings that are only polled need none.
     *
     * @param mechanism  how sleepers are woken; must match what every other user of the line uses.
     * @param buffer     off-heap (shared) memory holding the line.
     * @param lineOffset index of the 64-aligned, {@link WakeLineDescriptor#LENGTH}-byte line.
     * @return the eventcount.
     */
    public static Eventcount create(final WakeMechanism mechanism, final AtomicBuffer buffer, final int lineOffset)
    {
        return create(mechanism, buffer, lineOffset, MappingCheck.ALWAYS_MAPPED, WakeProtocol.FENCED);
    }

    /**
     * An eventcount on a {@link WakeProtocol#FENCED} line in memory that may be lost under its mapping: {@link
     * #create(WakeMechanism, AtomicBuffer, int, MappingCheck, WakeProtocol)} with that protocol.
     *
     * @param mechanism  how sleepers are woken; must match what every other user of the line uses.
     * @param buffer     off-heap (shared) memory holding the line.
     * @param lineOffset index of the 64-aligned, {@link WakeLineDescriptor#LENGTH}-byte line.
     * @param mapping    whether the line's memory may still be touched.
     * @return the eventcount.
     */
    public static Eventcount create(
        final WakeMechanism mechanism, final AtomicBuffer buffer, final int lineOffset, final MappingCheck mapping)
    {
        return create(mechanism, buffer, lineOffset, mapping, WakeProtocol.FENCED);
    }

    /**
     * An eventcount on a line in memory that may be lost under its mapping (a ring file another process truncates):
     * after every sleep that ended by its slice or a signal (a wake shows the line was there a moment before), and
     * before it deregisters after an error, a waiter asks {@code mapping}, and throws what it answers instead of
     * touching the line again. On a {@link WakeProtocol#MEMBARRIER} line, creating the first one of the process
     * registers the process for membarrier (binds the C library, once); a {@link WakeProtocol#FENCED} line makes no
     * native call until the first sleep or wake.
     *
     * @param mechanism  how sleepers are woken; must match what every other user of the line uses.
     * @param buffer     off-heap (shared) memory holding the line.
     * @param lineOffset index of the 64-aligned, {@link WakeLineDescriptor#LENGTH}-byte line.
     * @param mapping    whether the line's memory may still be touched.
     * @param protocol   what every sleeper on the line does before its last check; must match what every other user
     *                   of the line was told (a ring file's layout version).
     * @return the eventcount.
     */
    public static Eventcount create(
        final WakeMechanism mechanism, final AtomicBuffer buffer, final int lineOffset, final MappingCheck mapping,
        final WakeProtocol protocol)
    {
        switch (mechanism)
        {
            case FUTEX:
                return new FutexEventcount(buffer, lineOffset, mapping, protocol);
            case SEMAPHORE:
                return new SemaphoreEventcount(buffer, lineOffset, mapping, protocol);
            default:
                throw new IllegalArgumentException("unknown wake mechanism: mechanism=" + mechanism);
        }
    }

    /**
     * Prepare a fresh line for a mechanism, once, before any process uses it: zero the sequence and waiter
     * count and, for {@link WakeMechanism#SEMAPHORE}, {@code sem_init(pshared=1, value=0)} the semaphore.
     *
     * @param mechanism  how the line's sleepers will be woken.
     * @param buffer     off-heap (shared) memory holding the line.
     * @param lineOffset index of the 64-aligned, {@link WakeLineDescriptor#LENGTH}-byte line.
     * @throws UnsupportedOperationException if the mechanism needs native calls that are unavailable here.
     */
    public static void initializeLine(final WakeMechanism mechanism, final AtomicBuffer buffer, final int lineOffset)
    {
        WakeLineDescriptor.checkLine(buffer, lineOffset);
        buffer.putInt(lineOffset + SEQUENCE_OFFSET, 0);
        buffer.putInt(lineOffset + WAITERS_OFFSET, 0);
        buffer.putInt(lineOffset + WAKE_PENDING_OFFSET, 0);
        if (mechanism == WakeMechanism.SEMAPHORE)
        {
            PosixSemaphore.initialize(buffer, lineOffset + WakeLineDescriptor.SEMAPHORE_OFFSET);
        }
    }

    /**
     * @return the mechanism this eventcount sleeps on.
     */
    public abstract WakeMechanism mechanism();

    /**
     * @return how this eventcount keeps the Dekker pair: decided at creation from the line's protocol and this process.
     */
    public final Mode mode()
    {
        return mode;
    }

    /**
     * Call after making a waiter's condition true (publishing a message, freeing space) by a store through Unsafe
     * with release or stronger order, or an atomic update (as every ring end does; see the comment inside). Costs one
     * volatile read, plus a full fence unless {@link Mode#MEMBARRIER}; makes a wake call only when someone is
     * registered to sleep and no wake is already on its way to them.
     *
     * @return true if this call made the wake call (so a caller may count it), false if nobody needed one.
     */
    public final boolean signal()
    {
        if (notifierFences)
        {
            // StoreLoad (Dekker): the caller's publication must be visible before we read the waiter count; else a
            // waiter that registered after our read, but checked the state before our store, would sleep on it.
            VarHandle.fullFence();
        }
        return wakeIfWaiting();
    }

    /**
     * {@link #signal()} for a caller whose publication was an atomic read-modify-write on the shared memory (a
     * compareAndSet or getAndAdd through Unsafe, such as an MPSC commit's header CAS): that update is a full barrier
     * of its own (in the JMM a volatile write and read, so ordered before the volatile read of the waiter count; on x86
     * a locked instruction; on aarch64 a release store that a later acquire load never passes), so no fence is added in
     * any mode. Costs one volatile read when nobody sleeps.
     *
     * @return true if this call made the wake call, false if nobody needed one.
     */
    public final boolean signalAfterAtomicUpdate()
    {
        return wakeIfWaiting();
    }

    private boolean wakeIfWaiting()
    {
        // Mode.MEMBARRIER: no fence. The CPU may still let the waiter-count load below pass the caller's publishing
        // store (x86's store buffer), but a sleeper issues membarrier(GLOBAL_EXPEDITED) between its registration and its
        // last check, which makes this thread (its process registered) pass a full barrier at some point of its program
        // order: before our store (our load then sees the registration), or after it (the sleeper's check then sees the
        // store); docs/LAYOUT.md 4.5. That needs the two in program order in the machine code, which HotSpot keeps: the
        // publication is an Unsafe access with release order or an Unsafe atomic (Agrona's putLongRelease, putIntRelease,
        // compareAndSet*), and this read is an Unsafe volatile load (MO_SEQ_CST, LibraryCallKit::inline_unsafe_access,
        // mo_decorator_for_access_kind, library_call.cpp); for each C2 asks C2Access::needs_cpu_membar (barrierSetC2.cpp),
        // true for every Unsafe access that is not unordered and every atomic, and C2AccessFence then brackets the access
        // with MemBarCPUOrder nodes ("used to order unsafe memory references inside the compiler", memnode.hpp), memory
        // barriers on the whole memory state that no load or store moves across, and which emit no instruction (openjdk/jdk
        // sources). Not inlined, this method is a call, which no access crosses either; C1 schedules no memory access
        // across another and the interpreter runs Unsafe through the VM. (On aarch64 the pair is ordered in hardware too:
        // stlr then ldar.)
        final int waiters = buffer.getIntVolatile(waitersOffset); // volatile: the other half of the Dekker pair
        if (waiters != 0 &&
            buffer.getIntVolatile(wakePendingOffset) == 0 && // volatile: set means a wake is on its way; ordered as the count
            buffer.compareAndSetInt(wakePendingOffset, 0, 1)) // atomic: one notifier makes the wake call
        {
            buffer.getAndAddInt(sequenceOffset, 1); // atomic: concurrent notifiers each move the word; before the wake
            increment(WAKE_CALLS, wake(waiters));
            return true;
        }
        return false;
    }

    /**
     * Wait until {@code ready} holds, the timeout passes, or the thread is interrupted, sleeping on the
     * line in slices of at most {@code sliceNanos}.
     *
     * @param ready        the condition; evaluated after registering, and after every wake or slice.
     * @param timeoutNanos how long to wait; 0 or less checks once without sleeping.
     * @param sliceNanos   longest single sleep, {@code > 0}; an interrupt is seen within about this long.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws InterruptedException          if the thread is interrupted before or while sleeping.
     * @throws UnsupportedOperationException if the mechanism is unavailable here (checked before registering).
     * @throws CorruptWakeLineException      if a semaphore line's bytes were overwritten (checked before each sleep).
     * @throws RuntimeException              what the {@link MappingCheck} answered, if the line's memory was lost while
     *                                       this thread slept (its registration is left on the line).
     */
    public final boolean await(final WakeCondition ready, final long timeoutNanos, final long sliceNanos)
        throws InterruptedException
    {
        return await(ready, timeoutNanos, sliceNanos, sliceNanos, Long.MAX_VALUE);
    }

    /**
     * As {@link #await(WakeCondition, long, long)}, with slices that grow once this wait has slept {@code idleAfterNanos}
     * without its condition: one long wait on a quiet line then wakes {@code 1 s / idleSliceNanos} times a second
     * instead of {@code 1 s / sliceNanos}, each wake-up with its interrupt and mapping checks. A notifier's wake ends
     * any slice at once; the slice only bounds how late an interrupt, a close by another thread or a notifier that does
     * not signal is seen.
     *
     * @param ready          the condition; evaluated after registering, and after every wake or slice.
     * @param timeoutNanos   how long to wait; 0 or less checks once without sleeping.
     * @param sliceNanos     longest single sleep for the first {@code idleAfterNanos}, {@code > 0}.
     * @param idleSliceNanos longest single sleep after that, {@code >= sliceNanos}.
     * @param idleAfterNanos how long this wait sleeps in {@code sliceNanos} slices first, {@code >= 0}.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws IllegalArgumentException      if a slice or {@code idleAfterNanos} is out of range (the message names them).
     * @throws InterruptedException          if the thread is interrupted before or while sleeping.
     * @throws UnsupportedOperationException if the mechanism is unavailable here (checked before registering).
     * @throws CorruptWakeLineException      if a semaphore line's bytes were overwritten (checked before each sleep).
     * @throws RuntimeException              what the {@link MappingCheck} answered, if the line's memory was lost while
     *                                       this thread slept (its registration is left on the line).
     */
    public final boolean await(
        final WakeCondition ready, final long timeoutNanos, final long sliceNanos, final long idleSliceNanos,
        final long idleAfterNanos) throws InterruptedException
    {
        if (sliceNanos <= 0 || idleSliceNanos < sliceNanos || idleAfterNanos < 0)
        {
            throw new IllegalArgumentException("need 0 < sliceNanos <= idleSliceNanos and idleAfterNanos >= 0: sliceNanos=" +
                sliceNanos + " idleSliceNanos=" + idleSliceNanos + " idleAfterNanos=" + idleAfterNanos);
        }
        if (timeoutNanos <= 0)
        {
            return ready.isReady();
        }
        final long deadline = Deadline.after(timeoutNanos);
        final long idleAt = Deadline.after(idleAfterNanos); // slices grow once this wait has slept this long
        prepareNative();
        buffer.getAndAddInt(waitersOffset, 1); // atomic: several waiters (MPSC producers) may share a line
        boolean mappingFaulted = false;
        try
        {
            while (true)
            {
                // The sequence is read BEFORE the flag is cleared: a notifier that bumped it after our read makes the
                // futex wait return at once, and one that saw the flag still set (and skipped) published before the
                // fence below, so the check sees its data. Read after the clear, a value bumped by an earlier notifier
                // could be slept on while a later one skips its wake: a lost wakeup until the slice ends.
                final int seen = buffer.getIntVolatile(sequenceOffset); // volatile: read before the flag is cleared
                buffer.putIntRelease(wakePendingOffset, 0); // release: ordered before the next loads by the fence below
                // StoreLoad (Dekker): our registration and the cleared flag must be visible before we read the state a
                // notifier publishes; a notifier that still saw the flag set skips its wake, so this check must see its data.
                VarHandle.fullFence();
                // A MEMBARRIER line: notifiers of registered processes skip their fence, so make every thread of those
                // processes pass one now, after our stores and before our check (docs/LAYOUT.md 4.3 step 5). A native
                // call, which the JIT never moves a memory access across. Not made (this process cannot, or the call
                // failed): a notifier elsewhere may miss us, so this sleep is bounded to a poll's slice.
                final boolean covered = mode == Mode.FENCED || mode == Mode.MEMBARRIER && Membarrier.barrier();
                if (ready.isReady())
                {
                    return true;
                }
                if (Thread.interrupted())
                {
                    throw new InterruptedException("wait on wake line interrupted: lineOffset=" + lineOffset);
                }
                final long remaining = Deadline.remaining(deadline);
                if (remaining <= 0)
                {
                    increment(TIMEOUTS, 1);
                    return false;
                }
                increment(WAIT_CALLS, 1);
                final long longest = idleAt - (deadline - remaining) > 0 ? sliceNanos : idleSliceNanos; // now = deadline - remaining
                final long slice = covered ? longest : Math.min(longest, MEMBARRIER_UNAVAILABLE_SLICE_NANOS);
                final int result = sleep(seen, Math.min(remaining, slice));
                // A file truncated while this thread slept: the next access to the line (the sequence, the flag, the
                // condition, or deregistering, an atomic add that may run in the VM unguarded) would raise SIGBUS, which
                // kills the JVM; so ask before touching it again. Only after a sleep whose end shows nothing of the line:
                // a notifier's wake (it bumped the sequence just before), a word found changed (the kernel read it) or a
                // post taken (the C library touched it) each show the page was there a moment ago, so the wake path of a
                // flow pays no extra system call. A truncation between what showed the page and the next access stays
                // uncatchable (unsupported, as the caller's docs say).
                if (result == EXPIRED || result == SIGNALLED)
                {
                    final RuntimeException lost = mapping.lost();
                    if (lost != null)
                    {
                        mappingFaulted = true;
                        throw lost;
                    }
                }
                if (result == WOKEN || result == VALUE_CHANGED)
                {
                    // A notifier moved the sequence: its publication is very likely what we wait for, so look at once,
                    // before the next round's sequence read, flag store and fence (a cache line the notifier just wrote,
                    // and a store that must wait for it: on the path of every message of a sleeping flow). Returning
                    // leaves the flag set; with a futex that is correct (docs/LAYOUT.md 4.3 step 8): a notifier that then
                    // skips its wake published before it read the flag, a waiter that checks again clears the flag and
                    // fences first, and one asleep since before the flag was set sleeps on a sequence that moved since.
                    final boolean readyNow = mayReturnOnWake() && ready.isReady();
                    increment(WOKEN_WAITS, 1);
                    if (result == VALUE_CHANGED)
                    {
                        increment(WAKES_BEFORE_SLEEP, 1);
                    }
                    if (readyNow)
                    {
                        return true;
                    }
                }
                else if (result == EXPIRED)
                {
                    increment(EXPIRED_WAITS, 1);
                    // Ready, yet no notifier moved the sequence since we read it: a notifier missed us.
                    if (ready.isReady() && buffer.getIntVolatile(sequenceOffset) == seen) // volatile: as above
                    {
                        increment(READY_AFTER_EXPIRY, 1);
                    }
                }
            }
        }
        catch (final InternalError ex)
        {
            // a fault in mapped memory (the file shrank under the mapping): another atomic access there would kill the
            // JVM (SIGBUS), so the registration is left behind; a notifier then only makes a spare wake call
            mappingFaulted = true;
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            if (mappingFaulted)
            {
                throw ex; // the mapping check's own answer
            }
            // Anything else that ends the wait may come of a file truncated under it: a futex wait restarted after a
            // stop signal re-reads its word and fails with EFAULT, a condition reads garbage and finds the ring
            // corrupt. Look before deregistering, which would touch the line.
            final RuntimeException lost = mapping.lost();
            if (lost != null)
            {
                mappingFaulted = true;
                lost.addSuppressed(ex);
                throw lost;
            }
            throw ex;
        }
        finally
        {
            if (!mappingFaulted)
            {
                buffer.getAndAddInt(waitersOffset, -1); // atomic: shared with other waiters
            }
        }
    }

    /**
     * Bind the native calls now rather than on the first sleep or wake, which otherwise pays for loading
     * the JNA library (tens of milliseconds).
     *
     * @throws UnsupportedOperationException if the mechanism is unavailable here.
     */
    public final void prepare()
    {
        prepareNative();
    }

    /**
     * @return threads registered to sleep on the line now, in any process.
     */
    public final int waiters()
    {
        return buffer.getIntVolatile(waitersOffset); // volatile: a current value for monitoring
    }

    /**
     * @return the line's sequence word now.
     */
    public final int sequence()
    {
        return buffer.getIntVolatile(sequenceOffset); // volatile: a current value for monitoring
    }

    /**
     * @return native sleep calls made by {@link #await} (FUTEX_WAIT, or a semaphore wait that glibc completes
     * without entering the kernel when a post is already there).
     */
    public final long waitCalls()
    {
        return counters.getOpaque(WAIT_CALLS);
    }

    /**
     * @return sleeps that ended because a notifier woke this waiter (or had already moved on).
     */
    public final long wokenWaits()
    {
        return counters.getOpaque(WOKEN_WAITS);
    }

    /**
     * @return of the {@link #wokenWaits()}, those where FUTEX_WAIT returned at once (EAGAIN) because a notifier
     * had moved the sequence between the check and the call: woken without sleeping. Always 0 for the
     * semaphore, whose "post already there" is not told apart.
     */
    public final long wakesBeforeSleep()
    {
        return counters.getOpaque(WAKES_BEFORE_SLEEP);
    }

    /**
     * @return sleeps that ended by their slice or by the caller's deadline.
     */
    public final long expiredWaits()
    {
        return counters.getOpaque(EXPIRED_WAITS);
    }

    /**
     * @return sleeps that expired although the condition held and no notifier had moved the sequence: the
     * signature of a lost wakeup. Zero when the protocol works.
     */
    public final long readyAfterExpiry()
    {
        return counters.getOpaque(READY_AFTER_EXPIRY);
    }

    /**
     * @return calls to {@link #await} that returned false because the caller's timeout passed.
     */
    public final long timeouts()
    {
        return counters.getOpaque(TIMEOUTS);
    }

    /**
     * @return native wake calls made by {@link #signal} (FUTEX_WAKE, or sem_post which enters the kernel
     * only when a waiter sleeps). Zero while nobody ever registered to sleep.
     */
    public final long wakeCalls()
    {
        return counters.getOpaque(WAKE_CALLS);
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{lineOffset=" + lineOffset + ", mode=" + mode + ", waitCalls=" + waitCalls() +
            ", wokenWaits=" + wokenWaits() + ", wakesBeforeSleep=" + wakesBeforeSleep() + ", expiredWaits=" + expiredWaits() +
            ", readyAfterExpiry=" + readyAfterExpiry() + ", timeouts=" + timeouts() + ", wakeCalls=" + wakeCalls() + '}';
    }

    /**
     * Bind the native calls; throws before the waiter registers if they are unavailable.
     */
    abstract void prepareNative();

    /**
     * Sleep once.
     *
     * @param seenSequence the sequence read before the last check.
     * @param nanos        longest sleep.
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #EXPIRED} or {@link #SIGNALLED}.
     */
    abstract int sleep(int seenSequence, long nanos);

    /**
     * Wake sleepers after the sequence was bumped.
     *
     * @param waiters the waiter count read.
     * @return native calls made.
     */
    abstract int wake(int waiters);

    /**
     * @return true if a woken waiter may return at once when its condition holds, leaving the wake-pending flag set
     *         (docs/LAYOUT.md 4.3 step 8): only where a wake reaches every sleeper and no sleep outlasts a moved
     *         sequence (a futex). Not with a semaphore, whose posts another waiter may take: that waiter must clear the
     *         flag, or the next notifier skips the post the robbed sleeper still needs, which then sleeps out its slice.
     */
    abstract boolean mayReturnOnWake();

    final AtomicBuffer buffer()
    {
        return buffer;
    }

    final int lineOffset()
    {
        return lineOffset;
    }

    private void increment(final int counter, final long delta)
    {
        counters.getAndAdd(counter, delta); // atomic: threads sharing an MPSC producer count on one instance; next to a syscall
    }
}
