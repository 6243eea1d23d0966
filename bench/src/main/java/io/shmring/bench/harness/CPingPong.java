package io.shmring.bench.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * The physical floor in the same run: {@code pingpong.c}, built by the system's C compiler ({@link CCompiler}), moves
 * the same messages as the Java transports between two processes through two SPSC rings of {@link
 * Transport#RING_CAPACITY} bytes in one shared file mapping. Spin mode polls and publishes with one release store;
 * futex mode sleeps at once in {@code FUTEX_WAIT} (shared, not private) whenever the other side has not answered, and
 * the publisher {@code FUTEX_WAKE}s it. The measuring side runs on the parent's CPU, the echoing side on the child's.
 */
final class CPingPong implements MeasuredPeer
{
    /** The spinning floor. */
    static final String SPIN = "c-spin";
    /** The sleeping floor. */
    static final String FUTEX = "c-futex";

    private final String name;
    private final boolean futex;
    private final Path program;

    /**
     * @param name    the table name.
     * @param futex   true to sleep on every unanswered message, false to spin.
     * @param program the built program, or null until {@link #withProgram}.
     */
    CPingPong(final String name, final boolean futex, final Path program)
    {
        this.name = name;
        this.futex = futex;
        this.program = program;
    }

    /**
     * @param built what {@link CCompiler#build} made.
     * @return this peer running that program.
     */
    CPingPong withProgram(final Path built)
    {
        return new CPingPong(name, futex, built);
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return "C ping-pong, two processes on two SPSC rings in one mapping, " + (futex ?
            "FUTEX_WAIT at once on every unanswered message, FUTEX_WAKE by the publisher" : "busy-spin poll, release store");
    }

    @Override
    public boolean blocking()
    {
        return futex;
    }

    /**
     * @return {@code spin} or {@code futex}, the program's {@code --mode}.
     */
    String mode()
    {
        return futex ? "futex" : "spin";
    }

    @Override
    public List<PhaseResult> measure(final PeerRun run, final PhaseListener listener) throws Exception
    {
        if (program == null)
        {
            throw new IllegalStateException(name + ": the C program was not built (withProgram after CCompiler.build)");
        }
        return new CPingPongRun(this, program, run, List.of()).run(listener);
    }
}
