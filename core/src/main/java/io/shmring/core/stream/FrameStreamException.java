package io.shmring.core.stream;

/**
 * A byte stream broke the frame format: a length below the header size or above the maximum, or a
 * frame cut short by the end of the stream. Every frame complete before the bad one has been
 * delivered; the stream is unusable afterwards.
 */
public final class FrameStreamException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the offending value.
     */
    public FrameStreamException(final String message)
    {
        super(message);
    }
}
