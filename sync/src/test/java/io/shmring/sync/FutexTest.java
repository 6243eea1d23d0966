package io.shmring.sync;

import io.shmring.sync.internal.Futex;
import io.shmring.core.internal.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FutexTest
{
    private static final int WORD_OFFSET = 64;

    private MappedRegion region;
    private AtomicBuffer buffer;

    @BeforeEach
    void setUp()
    {
        assumeTrue(Futex.isSupported(), "futex unsupported here");
        region = TestRegions.create("futex-test", 4096);
        buffer = region.buffer();
    }

    @AfterEach
    void tearDown()
    {
        TestRegions.closeAndDelete(region);
    }

    @Test
    void shouldNotSleepWhenFutexWordDiffersFromExpected()
    {
        buffer.putIntVolatile(WORD_OFFSET, 7);
        final Futex futex = new Futex(buffer, WORD_OFFSET);

        assertEquals(Futex.VALUE_CHANGED, futex.await(6, TimeUnit.SECONDS.toNanos(10)));
    }

    @Test
    void shouldTimeOutFutexWaitWhenNobodyWakes()
    {
        final Futex futex = new Futex(buffer, WORD_OFFSET);
        final long start = System.nanoTime();

        assertEquals(Futex.TIMED_OUT, futex.await(0, TimeUnit.MILLISECONDS.toNanos(5)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(4), "returned before its timeout");
    }

    @Test
    void shouldWakeNobodyWhenNoThreadWaitsOnFutex()
    {
        assertEquals(0, new Futex(buffer, WORD_OFFSET).wake(Integer.MAX_VALUE));
    }

    @Test
    void shouldWakeThreadSleepingOnFutexWord() throws Exception
    {
        final Futex waiterFutex = new Futex(buffer, WORD_OFFSET);
        final Futex wakerFutex = new Futex(buffer, WORD_OFFSET);
        final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(
            () -> waiterFutex.await(0, TimeUnit.SECONDS.toNanos(120)));

        int woken = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only a hang takes this long
        while (woken == 0 && System.nanoTime() < deadline)
        {
            woken = wakerFutex.wake(1); // 1 only once the waiter is asleep in the kernel
            Thread.yield();
        }

        assertEquals(1, woken);
        assertEquals(Futex.WOKEN, result.get(60, TimeUnit.SECONDS));
    }

    @Test
    void shouldRejectMisalignedFutexWord()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new Futex(buffer, WORD_OFFSET + 2));
        assertTrue(ex.getMessage().contains("offset=66"), ex.getMessage());
    }

    @Test
    void shouldRejectFutexWordOutsideBuffer()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new Futex(buffer, buffer.capacity() - 2));
        assertTrue(ex.getMessage().contains("offset=" + (buffer.capacity() - 2)), ex.getMessage());
    }

    @Test
    void shouldRejectFutexWordOnHeap()
    {
        assertThrows(IllegalArgumentException.class, () -> new Futex(new UnsafeBuffer(new byte[64]), 0));
    }
}
