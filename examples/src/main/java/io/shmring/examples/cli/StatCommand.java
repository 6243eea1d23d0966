package io.shmring.examples.cli;

import io.shmring.examples.stat.RingReport;
import io.shmring.ringbuffer.CorruptRingException;
import io.shmring.ringbuffer.RingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shmring stat <ring file>}: header and live state of a ring another process is using. The file
 * is validated before anything past its header is read; a file that is not a ring is an error (exit 1). A ring whose
 * positions or pending frames break the layout's rules is printed as far as it is valid, then reported as corrupt on
 * stderr (exit 1).
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the header and live state of a ring file (reads only; never attaches).")
public final class StatCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<ring file>", description = "Path of the ring file, e.g. /dev/shm/md.")
    private Path path;

    @Override
    public Integer call()
    {
        try (RingFile ring = RingFile.open(path))
        {
            final CorruptRingException corruption = new RingReport(ring).print(spec.commandLine().getOut());
            if (corruption != null)
            {
                throw corruption;
            }
        }
        return 0;
    }
}
