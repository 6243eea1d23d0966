package io.shmring.bench.harness;

/**
 * One run of a mode that measures every peer at several process counts ({@code --fanout}, {@code --fanin}): what
 * the shared rounds, table and CSV need of it.
 */
interface ProcessCountResult
{
    /**
     * @return the peer's name.
     */
    String peer();

    /**
     * @return the process count of the run (consumers of a fan-out, producers of a fan-in).
     */
    int processes();

    /**
     * @return the run's headline rate, messages per second.
     */
    double msgsPerSecond();

    /**
     * @return the run as a CSV line (no newline).
     */
    String csv();

    /**
     * @return one line for the progress log, after the run's label.
     */
    String progress();
}
