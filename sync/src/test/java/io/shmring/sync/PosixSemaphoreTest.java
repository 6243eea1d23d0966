package io.shmring.sync;

import io.shmring.sync.internal.PosixSemaphore;
import io.shmring.core.internal.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PosixSemaphoreTest
{
    private static final int SEMAPHORE_OFFSET = 64;

    private MappedRegion region;
    private AtomicBuffer buffer;

    @BeforeEach
    void setUp()
    {
        assumeTrue(PosixSemaphore.isSupported(), "POSIX semaphores unsupported here");
        region = TestRegions.create("semaphore-test", 4096);
        buffer = region.buffer();
    }

    @AfterEach
    void tearDown()
    {
        TestRegions.closeAndDelete(region);
    }

    @Test
    void shouldCountSemaphorePostsAndTakeThemWithoutSleeping()
    {
        final PosixSemaphore semaphore = PosixSemaphore.initialize(buffer, SEMAPHORE_OFFSET);
        assertEquals(0, semaphore.value());

        semaphore.post();
        semaphore.post();

        assertEquals(2, semaphore.value());
        assertTrue(semaphore.tryAcquire());
        assertEquals(PosixSemaphore.ACQUIRED, semaphore.acquire(0));
        assertFalse(semaphore.tryAcquire());
        assertEquals(0, semaphore.value());
    }

    @Test
    void shouldReportSaturatedSemaphoreInsteadOfFailingThePost()
    {
        final PosixSemaphore semaphore = PosixSemaphore.initialize(buffer, SEMAPHORE_OFFSET);
        buffer.putIntVolatile(SEMAPHORE_OFFSET, Integer.MAX_VALUE); // glibc: the count is the first 32-bit word
        assumeTrue(semaphore.value() == Integer.MAX_VALUE, "not glibc's semaphore layout: cannot saturate it by a store");

        assertFalse(semaphore.post(), "a post at SEM_VALUE_MAX is refused (EOVERFLOW) and reported, not thrown");
        assertEquals(Integer.MAX_VALUE, semaphore.value());
        assertTrue(semaphore.tryAcquire(), "a saturated semaphore still hands out posts");
        assertTrue(semaphore.post(), "one below the maximum it takes a post again");
    }

    /**
     * glibc aborts the whole process (SIGABRT) when a semaphore's process-shared word holds what sem_init never wrote:
     * no call may hand such a semaphore to the C library. A waiter refuses it; a notifier posts nothing. Without the
     * check this test kills the test JVM.
     */
    @Test
    void shouldRefuseSemaphoreWhoseSharedWordWasOverwrittenInsteadOfCallingTheCLibrary()
    {
        final PosixSemaphore semaphore = PosixSemaphore.initialize(buffer, SEMAPHORE_OFFSET);
        final int glibcSharedWord = SEMAPHORE_OFFSET + 8;
        assumeTrue(buffer.getInt(glibcSharedWord) == 0x80, "not glibc's semaphore layout");
        buffer.putIntVolatile(glibcSharedWord, 0x41414141);

        assertFalse(semaphore.post(), "a notifier posts nothing (its waiters refuse the semaphore themselves)");
        final CorruptWakeLineException sleep = assertThrows(CorruptWakeLineException.class,
            () -> semaphore.acquire(TimeUnit.MILLISECONDS.toNanos(5)));
        assertEquals(glibcSharedWord, sleep.offset());
        assertEquals(0x41414141L, sleep.value());
        assertTrue(sleep.getMessage().contains("0x41414141"), sleep.getMessage());
        assertThrows(CorruptWakeLineException.class, semaphore::tryAcquire);

        buffer.putIntVolatile(glibcSharedWord, 0x80);
        assertTrue(semaphore.post(), "intact again, it works again");
        assertTrue(semaphore.tryAcquire());
    }

    @Test
    void shouldSeeSemaphorePostsThroughAnotherMappingOfTheFile()
    {
        final PosixSemaphore semaphore = PosixSemaphore.initialize(buffer, SEMAPHORE_OFFSET);
        try (MappedRegion second = MappedRegion.open(region.path()))
        {
            final PosixSemaphore other = new PosixSemaphore(second.buffer(), SEMAPHORE_OFFSET);
            semaphore.post();
            assertEquals(1, other.value());
            assertTrue(other.tryAcquire());
            assertEquals(0, semaphore.value());
        }
    }

    @Test
    void shouldTimeOutSemaphoreWaitWithoutPost()
    {
        final PosixSemaphore semaphore = PosixSemaphore.initialize(buffer, SEMAPHORE_OFFSET);
        final long start = System.nanoTime();

        assertEquals(PosixSemaphore.TIMED_OUT, semaphore.acquire(TimeUnit.MILLISECONDS.toNanos(5)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(4), "returned before its timeout");
    }

    @Test
    void shouldWakeThreadWaitingOnSemaphore() throws Exception
    {
        assumeTrue(KernelSleepers.isSupported(), "needs /proc/self/task/*/syscall");
        final PosixSemaphore semaphore = PosixSemaphore.initialize(buffer, SEMAPHORE_OFFSET);
        final PosixSemaphore waiterView = new PosixSemaphore(buffer, SEMAPHORE_OFFSET);
        final AtomicInteger result = new AtomicInteger(-1);
        final Thread waiter = new Thread(() -> result.set(waiterView.acquire(TimeUnit.SECONDS.toNanos(60))), "sem-waiter-test");
        waiter.start();
        KernelSleepers.awaitInFutexCall(waiter.getName(), buffer.addressOffset() + SEMAPHORE_OFFSET); // asleep in sem_clockwait

        semaphore.post();

        waiter.join(TimeUnit.SECONDS.toMillis(60)); // only a hang takes this long
        assertEquals(PosixSemaphore.ACQUIRED, result.get());
        assertEquals(0, semaphore.value());
    }

    @Test
    void shouldRejectMisalignedSemaphore()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new PosixSemaphore(buffer, SEMAPHORE_OFFSET + 4));
        assertTrue(ex.getMessage().contains("offset=68"), ex.getMessage());
    }
}
