package io.shmring.core.contract;

import io.shmring.core.Publisher;
import io.shmring.core.Subscriber;
import io.shmring.core.Transports;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The contract over {@code fifo:}, both ends in this process.
 */
class FifoTransportContractTest extends TransportContractTest
{
    @TempDir
    Path directory;

    Path fifo()
    {
        return directory.resolve("contract.fifo");
    }

    @Override
    protected Subscriber openSubscriber()
    {
        return Transports.subscriber("fifo:" + fifo() + "?maxMessageLength=" + MAX_MESSAGE_LENGTH);
    }

    @Override
    protected Publisher openPublisher(final Subscriber subscriber)
    {
        return Transports.publisher(publisherUri(subscriber));
    }

    @Override
    protected String publisherUri(final Subscriber subscriber)
    {
        return "fifo:" + fifo() + "?maxMessageLength=" + MAX_MESSAGE_LENGTH;
    }

    @Override
    protected WritableByteChannel openRawChannel(final Subscriber subscriber) throws Exception
    {
        return FileChannel.open(fifo(), StandardOpenOption.WRITE); // the reader is open: this does not block
    }
}
