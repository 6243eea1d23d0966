package io.shmring.sync.internal;

/**
 * The Linux errno values the wake layer tells apart (the same on x86_64 and aarch64: both use the
 * generic numbering for these).
 */
final class Errno
{
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    /** Linux asm-generic/errno.h: value too large (sem_post at SEM_VALUE_MAX). */
    static final int EOVERFLOW = 75;
    static final int ETIMEDOUT = 110;

    private Errno()
    {
    }

    /**
     * @param errno an errno value.
     * @return its name if it is one of those above, else "errno N".
     */
    static String name(final int errno)
    {
        switch (errno)
        {
            case EPERM:
                return "EPERM";
            case EINTR:
                return "EINTR";
            case EAGAIN:
                return "EAGAIN";
            case ENOMEM:
                return "ENOMEM";
            case EINVAL:
                return "EINVAL";
            case ENOSYS:
                return "ENOSYS";
            case EOVERFLOW:
                return "EOVERFLOW";
            case ETIMEDOUT:
                return "ETIMEDOUT";
            default:
                return "errno " + errno;
        }
    }
}
