package io.shmring.sync;

/**
 * The condition a waiter waits for ("the ring has a message", "there is space for my frame").
 * It is evaluated after the waiter registers, so it must read shared state with at least acquire
 * semantics; keep one instance per waiter (a method reference held in a field) so waiting allocates nothing.
 */
@FunctionalInterface
public interface WakeCondition
{
    /**
     * @return true if the waiter can go on.
     */
    boolean isReady();
}
