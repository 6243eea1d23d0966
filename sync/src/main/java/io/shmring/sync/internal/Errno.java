package io.shmring.sync.internal;

/**
 * The Linux errno values the wake layer tells apart (the same on x86_64 and aarch64: both use the
 * generic numbering for these).
 */
final class Errno
{
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ETIMEDOUT = 110;

    private Errno()
    {
    }
}
