package io.shmring.core.contract;

import io.shmring.core.internal.ChildJvm;
import io.shmring.core.Publisher;
import io.shmring.core.internal.stream.Pipes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract over {@code pipe:}: the child JVM publishes to its {@code pipe:stdout}, the test reads the
 * child's stdout through {@link Pipes#fromChild}; and the other way, the test writes the child's stdin
 * through {@link Pipes#toChild} and the child checks what {@code pipe:stdin} delivers.
 */
class PipeTransportCrossProcessTest extends PipeTransportContractTest
{
    /** The child has read all but the last pipe buffer when publish returns: only a hang takes this long. */
    private static final long CHILD_EXIT_TIMEOUT_S = 60;

    @Override
    protected boolean crossProcess()
    {
        return true;
    }

    @Override
    protected Run startScenario(final Scenario scenario) throws Exception
    {
        final Process child = ChildJvm.builder(
            ContractPeer.class, "publish", publisherUri(null), scenario.name()).start();
        track(child::destroyForcibly);
        child.getOutputStream().close();
        return new Run(track(Pipes.fromChild(child, MAX_MESSAGE_LENGTH)), awaitExit(child));
    }

    @Test
    @Timeout(value = 3 * TEST_TIMEOUT_S, unit = TimeUnit.SECONDS) // three child JVMs, one after the other
    void shouldDeliverEveryMessageToChildReadingStdin() throws Exception
    {
        for (final Scenario scenario : new Scenario[]{ Scenario.SEQUENCE, Scenario.ALL_LENGTHS, Scenario.CLAIMS })
        {
            final Process child = ChildJvm.builder(
                ContractPeer.class, "subscribe", "pipe:stdin?maxMessageLength=" + MAX_MESSAGE_LENGTH, scenario.name()).start();
            track(child::destroyForcibly);
            final Publisher publisher = Pipes.toChild(child, MAX_MESSAGE_LENGTH, 0);
            scenario.publish(publisher);
            assertEquals(true, child.waitFor(CHILD_EXIT_TIMEOUT_S, TimeUnit.SECONDS), "child finished");
            assertEquals(0, child.exitValue(), "child checked every message of " + scenario);
        }
    }
}
