package io.shmring.bench.harness;

/**
 * A peer of a mode that runs every peer at several process counts ({@code --fanout}, {@code --fanin}): its name in the
 * table, the CSV and a child's command line.
 */
interface NamedPeer
{
    /**
     * @return the name in the table and the CSV, e.g. {@code shmring-mpsc}.
     */
    String name();

    /**
     * @return one line: what is measured.
     */
    String description();
}
