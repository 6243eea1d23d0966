package io.shmring.core.contract;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;

import java.util.concurrent.TimeUnit;

/**
 * The other process of the cross-process contract tests, started with {@link io.shmring.core.internal.ChildJvm}:
 * <pre>
 *   ContractPeer publish   URI SCENARIO   open the URI as a publisher and send the scenario
 *   ContractPeer subscribe URI SCENARIO   open the URI as a subscriber and check the scenario to the end
 * </pre>
 * Exits 0 on success; on failure prints why on stderr and exits 1. Never writes stdout itself (it may
 * be the transport).
 */
public final class ContractPeer
{
    private ContractPeer()
    {
    }

    /**
     * @param args role, URI, scenario name.
     */
    public static void main(final String[] args)
    {
        try
        {
            final Scenario scenario = Scenario.valueOf(args[2]);
            if ("publish".equals(args[0]))
            {
                final Publisher publisher = Transports.publisher(args[1]);
                scenario.publish(publisher);
            }
            else
            {
                try (Subscriber subscriber = Transports.subscriber(args[1]))
                {
                    final ScenarioReceiver receiver = new ScenarioReceiver(scenario);
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // only a hang exceeds it
                    while (!subscriber.isEndOfStream() && System.nanoTime() - deadline < 0)
                    {
                        subscriber.take(receiver, 256, 100, TimeUnit.MILLISECONDS);
                    }
                    if (receiver.failure() != null || receiver.received() != scenario.expectedCount() || !subscriber.isEndOfStream())
                    {
                        System.err.println("ContractPeer: " + scenario + " failed: " + receiver.failure() +
                            " received=" + receiver.received() + " expected=" + scenario.expectedCount() +
                            " endOfStream=" + subscriber.isEndOfStream());
                        System.exit(1);
                    }
                }
            }
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            System.err.println("ContractPeer " + String.join(" ", args) + " failed:");
            ex.printStackTrace(System.err);
            System.exit(1);
        }
    }
}
