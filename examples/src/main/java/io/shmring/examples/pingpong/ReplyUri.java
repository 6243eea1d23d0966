package io.shmring.examples.pingpong;

import io.shmring.core.TransportUri;

/**
 * The URI a ping-pong echo answers on, derived from the URI it listens on when none is given:
 * a path-addressed transport ({@code shm:}, {@code uds:}, {@code fifo:}) gets {@value #SUFFIX} after its
 * path, a {@code tcp:} one the next port; parameters are kept as written.
 * <pre>
 *   shm:/dev/shm/pp?wait=spin   ->  shm:/dev/shm/pp-pong?wait=spin
 *   uds:/tmp/pp.sock            ->  uds:/tmp/pp.sock-pong
 *   tcp://127.0.0.1:7000        ->  tcp://127.0.0.1:7001
 * </pre>
 */
public final class ReplyUri
{
    /** Appended to the path of a path-addressed URI. */
    public static final String SUFFIX = "-pong";

    private ReplyUri()
    {
    }

    /**
     * @param pingUri the URI pings are sent on.
     * @return the URI replies come back on.
     * @throws IllegalArgumentException for {@code pipe:} (one process's standard streams cannot carry both
     *                                  directions), a {@code tcp:} URI without a fixed port, or a URI without a path.
     */
    public static String derive(final String pingUri)
    {
        final TransportUri uri = TransportUri.parse(pingUri);
        final String text = uri.toString();
        final int question = text.indexOf('?');
        final String address = question < 0 ? text : text.substring(0, question);
        final String query = question < 0 ? "" : text.substring(question);
        if ("pipe".equals(uri.scheme()))
        {
            throw new IllegalArgumentException("pingpong cannot run over pipe: (it needs two separate channels); " +
                "use shm:, uds:, fifo: or tcp:, or give --reply: uri=" + pingUri);
        }
        if (uri.host() != null)
        {
            if (uri.port() <= 0 || uri.port() == 65535 || !uri.path().isEmpty())
            {
                throw new IllegalArgumentException("cannot derive a reply URI from " + pingUri +
                    ": it needs a fixed port below 65535 (the reply goes to port + 1), or give --reply");
            }
            final String portText = ":" + uri.port();
            final String prefix = address.substring(0, address.length() - portText.length());
            return prefix + ":" + (uri.port() + 1) + query;
        }
        if (uri.path().isEmpty())
        {
            throw new IllegalArgumentException("cannot derive a reply URI from " + pingUri + ": it has no path; give --reply");
        }
        return address + SUFFIX + query;
    }
}
