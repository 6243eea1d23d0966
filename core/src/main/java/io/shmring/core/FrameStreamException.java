package io.shmring.core;


/**
 * A byte stream broke the frame format: a length below the header size or above the maximum, a type id
 * below 0, or a frame cut short by the end of the stream or by a connection that broke. Every frame
 * complete before the bad one has been delivered; the stream is unusable afterwards.
 */
public final class FrameStreamException extends ShmringException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the offending value.
     */
    public FrameStreamException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong, naming the offending value.
     * @param cause   the failure of the channel that cut the frame short.
     */
    public FrameStreamException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
