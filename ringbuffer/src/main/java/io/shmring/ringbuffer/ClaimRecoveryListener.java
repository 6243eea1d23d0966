package io.shmring.ringbuffer;

/**
 * Told when an MPSC consumer recovers a claim that blocked its head (docs/LAYOUT.md 5.7): a producer died inside a
 * claim, or a claim header nobody commits was found there, and the consumer turned the range into padding and skips it.
 * Whatever the range held is never delivered, so this is a loss the application should know of, as a lossy broadcast
 * consumer's {@link LapListener} tells of a lap. Called on the polling thread (in {@code poll}, {@code take} or
 * {@link MpscConsumer#unblock()}), right after the recovery and before the next message is delivered; must not poll.
 */
@FunctionalInterface
public interface ClaimRecoveryListener
{
    /**
     * @param position     ring position of the range skipped (the claim's or reservation's start).
     * @param skippedBytes bytes skipped from there (headers and padding included).
     * @param slot         the producer slot the claim or reservation named (when several slots' ranges covered a zero
     *                     header, docs/LAYOUT.md 5.7 b step 1, one whose range ended where the padding ends).
     */
    void onClaimRecovered(long position, long skippedBytes, int slot);
}
