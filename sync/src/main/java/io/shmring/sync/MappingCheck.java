package io.shmring.sync;

/**
 * Whether the memory holding a wake line may still be touched. A line in a memory-mapped file that another process
 * truncated is gone under the mapping: a Java load from it throws {@link InternalError} (possibly late: compiled code
 * skips the faulting load and raises the error at a later point), but an atomic access made in the VM or in native
 * code ({@code sem_*}) raises SIGBUS and ends the process. {@link Eventcount#await} asks after every sleep that ended
 * by its slice or a signal (a wake shows the line was there a moment before) and before it deregisters after an error;
 * a waiter that finds the memory gone leaves its registration on the line (it cannot take it back without touching
 * the line) and throws.
 */
@FunctionalInterface
public interface MappingCheck
{
    /** For a line in memory that stays mapped (direct memory, a file nobody truncates): never lost. */
    MappingCheck ALWAYS_MAPPED = () -> null;

    /**
     * Called after a sleep, off the hot path (a sleep is a system call already); may make one of its own.
     *
     * @return null while the line's memory may be touched; else what the waiter throws instead of touching it.
     */
    RuntimeException lost();
}
