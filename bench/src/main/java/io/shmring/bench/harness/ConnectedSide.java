package io.shmring.bench.harness;

import io.shmring.core.Subscriber;

/**
 * A {@link TransportSide} whose receiver and sender are made at {@link #connect}, over a subscriber a subclass
 * may open earlier: closing closes the sender, then the receiver (or the subscriber if it never got one).
 */
abstract class ConnectedSide implements TransportSide
{
    /** The run's directory, stall check and stream batching. */
    protected final TransportContext context;
    /** True on the parent's side (sends ping, receives pong). */
    protected final boolean parent;
    /** Opened at open or at connect; closed by the receiver once there is one. */
    protected Subscriber subscriber;
    /** Made at connect. */
    protected Receiver receiver;
    /** Made at connect. */
    protected Sender sender;

    /**
     * @param context    the run's context.
     * @param parent     true on the parent's side.
     * @param subscriber the subscriber if opened already, else null.
     */
    ConnectedSide(final TransportContext context, final boolean parent, final Subscriber subscriber)
    {
        this.context = context;
        this.parent = parent;
        this.subscriber = subscriber;
    }

    @Override
    public Sender sender()
    {
        return sender;
    }

    @Override
    public Receiver receiver()
    {
        return receiver;
    }

    @Override
    public void close()
    {
        Closer.closeAll(sender, receiver != null ? receiver : subscriber);
    }
}
