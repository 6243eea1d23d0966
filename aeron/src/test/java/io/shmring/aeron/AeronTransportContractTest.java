package io.shmring.aeron;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import io.shmring.core.contract.TransportContractTest;
import org.junit.jupiter.api.AfterEach;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract over {@code aeron:}; subclasses choose the medium and whether the publisher runs in a child JVM.
 * Every subscriber URI asks small terms (64 KiB) so each test maps little; after each test this JVM's embedded
 * driver has stopped and its directory is gone.
 */
abstract class AeronTransportContractTest extends TransportContractTest
{
    /**
     * @return the subscriber's URI.
     */
    abstract String subscriberUri();

    @Override
    protected Subscriber openSubscriber()
    {
        return Transports.subscriber(subscriberUri());
    }

    @Override
    protected Publisher openPublisher(final Subscriber subscriber)
    {
        return Transports.publisher(publisherUri(subscriber));
    }

    @Override
    protected String publisherUri(final Subscriber subscriber)
    {
        return ((AeronSubscriber)subscriber).publisherUri();
    }

    @Override
    protected boolean acceptsSeveralPublishers()
    {
        return true;
    }

    @AfterEach
    void shouldLeaveNoDriverDirectoryBehind() throws Exception
    {
        closeResources();
        assertEquals(0, AeronTestSupport.ownDriverDirectories().size(), () -> "left: " + AeronTestSupport.ownDriverDirectories());
    }
}
