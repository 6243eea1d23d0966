package io.shmring.aeron;

import io.aeron.CommonContext;
import io.shmring.core.TransportUri;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@code aeron:} URI split into the Aeron channel and shmring's own options.
 * <pre>
 *   aeron:udp?endpoint=127.0.0.1:40123                       unicast
 *   aeron:udp?endpoint=224.0.1.1:40456|interface=10.0.0.5     multicast (Aeron's '|' separator)
 *   aeron:ipc?streamId=7&amp;aeronDir=/dev/shm/aeron-md          IPC through an external media driver
 * </pre>
 * Parameters may be separated by {@code &} (as in every shmring URI) or {@code |} (as in Aeron channels),
 * mixed freely. Aeron channel parameters ({@link #CHANNEL_PARAMETERS}) go into the channel as written;
 * the others are shmring's: {@link #STREAM_ID}, {@link #MAX_MESSAGE_LENGTH}, {@link #AERON_DIR},
 * {@link #WAIT} and {@link #DRIVER_IDLE}. Immutable.
 */
public final class AeronUri
{
    /** Aeron stream id, the same on both sides: an integer, default {@link #DEFAULT_STREAM_ID}. */
    public static final String STREAM_ID = "streamId";
    /** Largest payload: a size such as {@code 64k} (default {@link #DEFAULT_MAX_MESSAGE_LENGTH}). */
    public static final String MAX_MESSAGE_LENGTH = "maxMessageLength";
    /** Directory of an external media driver; without it the process starts an embedded driver. */
    public static final String AERON_DIR = "aeronDir";
    /** How {@code take} and a timed {@code offer} wait: {@code spin}, {@code yield} or {@code backoff} (default). */
    public static final String WAIT = "wait";
    /**
     * Idle strategy of the embedded media driver's thread: {@code backoff} (default), {@code yield} or {@code spin};
     * ignored with {@link #AERON_DIR} (an external driver has its own).
     */
    public static final String DRIVER_IDLE = "driverIdle";

    /** Stream id when the URI gives none. */
    public static final int DEFAULT_STREAM_ID = 1001;
    /** Largest payload when the URI gives none (the stream transports' default). */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 64 * 1024;
    /** Largest {@link #MAX_MESSAGE_LENGTH} accepted: Aeron's own limit, 16 MiB, less the frame header. */
    public static final int MAX_MAX_MESSAGE_LENGTH = 16 * 1024 * 1024 - io.shmring.core.FrameDescriptor.HEADER_LENGTH;

    /** The waits {@link #WAIT} and {@link #DRIVER_IDLE} accept. */
    public static final List<String> IDLE_CHOICES = List.of("spin", "yield", "backoff");

    /**
     * Aeron channel parameters passed through as written; Aeron validates their values when the
     * publication or subscription is added. Parameters that would change how shmring uses the stream
     * (end-of-stream, replay positions, response channels) are not among them.
     */
    public static final Set<String> CHANNEL_PARAMETERS = Set.of(
        CommonContext.ENDPOINT_PARAM_NAME,
        CommonContext.INTERFACE_PARAM_NAME,
        CommonContext.MDC_CONTROL_PARAM_NAME,
        CommonContext.MDC_CONTROL_MODE_PARAM_NAME,
        CommonContext.TERM_LENGTH_PARAM_NAME,
        CommonContext.MTU_LENGTH_PARAM_NAME,
        CommonContext.TTL_PARAM_NAME,
        CommonContext.SPARSE_PARAM_NAME,
        CommonContext.LINGER_PARAM_NAME,
        CommonContext.RELIABLE_STREAM_PARAM_NAME,
        CommonContext.TETHER_PARAM_NAME,
        CommonContext.GROUP_PARAM_NAME,
        CommonContext.REJOIN_PARAM_NAME,
        CommonContext.FLOW_CONTROL_PARAM_NAME,
        CommonContext.GROUP_TAG_PARAM_NAME,
        CommonContext.SOCKET_SNDBUF_PARAM_NAME,
        CommonContext.SOCKET_RCVBUF_PARAM_NAME,
        CommonContext.RECEIVER_WINDOW_LENGTH_PARAM_NAME,
        CommonContext.PUBLICATION_WINDOW_LENGTH_PARAM_NAME,
        CommonContext.NAK_DELAY_PARAM_NAME,
        CommonContext.MAX_RESEND_PARAM_NAME,
        CommonContext.ALIAS_PARAM_NAME);

    /** shmring's own parameters. */
    public static final Set<String> OPTIONS = Set.of(STREAM_ID, MAX_MESSAGE_LENGTH, AERON_DIR, WAIT, DRIVER_IDLE);

    private final TransportUri uri;
    private final String media;
    private final Map<String, String> channelParameters;
    private final int streamId;
    private final int maxMessageLength;
    private final boolean maxMessageLengthGiven;
    private final String aeronDir;
    private final String wait;
    private final String driverIdle;

    private AeronUri(
        final TransportUri uri, final String media, final Map<String, String> channelParameters, final int streamId,
        final int maxMessageLength, final boolean maxMessageLengthGiven, final String aeronDir, final String wait,
        final String driverIdle)
    {
        this.uri = uri;
        this.media = media;
        this.channelParameters = channelParameters;
        this.streamId = streamId;
        this.maxMessageLength = maxMessageLength;
        this.maxMessageLengthGiven = maxMessageLengthGiven;
        this.aeronDir = aeronDir;
        this.wait = wait;
        this.driverIdle = driverIdle;
    }

    /**
     * @return every parameter name an {@code aeron:} URI may carry.
     */
    public static Set<String> acceptedParameters()
    {
        final Set<String> all = new TreeSet<>(CHANNEL_PARAMETERS);
        all.addAll(OPTIONS);
        return all;
    }

    /**
     * @param uri an {@code aeron:} URI.
     * @return its parts.
     * @throws IllegalArgumentException naming the value for an unknown medium or parameter, a parameter given
     *                                  twice, a bad value of a shmring option, or {@code aeron:udp} without an
     *                                  endpoint or control address.
     */
    public static AeronUri parse(final TransportUri uri)
    {
        if (!"aeron".equals(uri.scheme()))
        {
            throw new IllegalArgumentException("not an aeron: URI: uri=" + uri);
        }
        final String media = uri.path();
        if (uri.host() != null || !(CommonContext.UDP_MEDIA.equals(media) || CommonContext.IPC_MEDIA.equals(media)))
        {
            throw new IllegalArgumentException("aeron URI needs udp or ipc after the scheme, as in " +
                "aeron:udp?endpoint=127.0.0.1:40123 or aeron:ipc: media=" + media + " uri=" + uri);
        }
        final Map<String, String> all = splitParameters(uri);
        final Map<String, String> channel = new LinkedHashMap<>();
        for (final Map.Entry<String, String> entry : all.entrySet())
        {
            if (CHANNEL_PARAMETERS.contains(entry.getKey()))
            {
                if (entry.getValue().isEmpty())
                {
                    throw uri.badParameter(entry.getKey(), "", "a value");
                }
                channel.put(entry.getKey(), entry.getValue());
            }
            else if (!OPTIONS.contains(entry.getKey()))
            {
                throw new IllegalArgumentException("unknown parameter for scheme aeron: " + entry.getKey() + "=" +
                    entry.getValue() + " (accepted: " + acceptedParameters() + ") uri=" + uri);
            }
        }
        if (CommonContext.UDP_MEDIA.equals(media) && !channel.containsKey(CommonContext.ENDPOINT_PARAM_NAME) &&
            !channel.containsKey(CommonContext.MDC_CONTROL_PARAM_NAME))
        {
            throw new IllegalArgumentException("aeron:udp needs endpoint=HOST:PORT (or control=HOST:PORT for " +
                "multi-destination), as in aeron:udp?endpoint=127.0.0.1:40123: uri=" + uri);
        }
        if (CommonContext.IPC_MEDIA.equals(media))
        {
            for (final String udpOnly : List.of(CommonContext.ENDPOINT_PARAM_NAME, CommonContext.INTERFACE_PARAM_NAME,
                CommonContext.MDC_CONTROL_PARAM_NAME, CommonContext.TTL_PARAM_NAME))
            {
                if (channel.containsKey(udpOnly))
                {
                    throw uri.badParameter(udpOnly, channel.get(udpOnly), "nothing: aeron:ipc has no network address");
                }
            }
        }
        final String aeronDir = all.get(AERON_DIR);
        if (aeronDir != null && aeronDir.isEmpty())
        {
            throw uri.badParameter(AERON_DIR, aeronDir, "the directory of a running media driver");
        }
        final Options options = options(uri, media, all);
        return new AeronUri(uri, media, channel, options.streamId(), options.maxMessageLength(),
            all.containsKey(MAX_MESSAGE_LENGTH), aeronDir, options.waitStrategy(), options.driverIdle());
    }

    /**
     * {@link TransportUri} splits parameters at {@code &}; a value may hold more, separated by {@code |}.
     */
    private static Map<String, String> splitParameters(final TransportUri uri)
    {
        final Map<String, String> all = new LinkedHashMap<>();
        for (final Map.Entry<String, String> entry : uri.parameters().entrySet())
        {
            final String[] parts = entry.getValue().split("\\|", -1);
            put(uri, all, entry.getKey(), parts[0]);
            for (int i = 1; i < parts.length; i++)
            {
                final int equals = parts[i].indexOf('=');
                if (equals <= 0)
                {
                    throw new IllegalArgumentException("parameter must be name=value: parameter=" + parts[i] + " uri=" + uri);
                }
                put(uri, all, parts[i].substring(0, equals), parts[i].substring(equals + 1));
            }
        }
        return all;
    }

    private static void put(final TransportUri uri, final Map<String, String> all, final String name, final String value)
    {
        if (all.put(name, value) != null)
        {
            throw new IllegalArgumentException("parameter given twice: name=" + name + " uri=" + uri);
        }
    }

    /**
     * shmring's options as a URI of their own, so {@link TransportUri}'s typed getters read them; a bad value is
     * reported with the URI as written.
     */
    private static Options options(final TransportUri uri, final String media, final Map<String, String> all)
    {
        final StringBuilder text = new StringBuilder("aeron:").append(media);
        char separator = '?';
        for (final String name : List.of(STREAM_ID, MAX_MESSAGE_LENGTH, WAIT, DRIVER_IDLE))
        {
            if (all.containsKey(name))
            {
                text.append(separator).append(name).append('=').append(all.get(name));
                separator = '&';
            }
        }
        final TransportUri options = TransportUri.parse(text.toString());
        try
        {
            return new Options(
                (int)options.getLong(STREAM_ID, DEFAULT_STREAM_ID, Integer.MIN_VALUE, Integer.MAX_VALUE),
                options.getSize(MAX_MESSAGE_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, 0, MAX_MAX_MESSAGE_LENGTH),
                options.getChoice(WAIT, "backoff", IDLE_CHOICES),
                options.getChoice(DRIVER_IDLE, null, IDLE_CHOICES));
        }
        catch (final IllegalArgumentException ex)
        {
            final String message = ex.getMessage();
            final int at = message.lastIndexOf(" uri=");
            throw new IllegalArgumentException((at < 0 ? message : message.substring(0, at)) + " uri=" + uri, ex);
        }
    }

    private record Options(int streamId, int maxMessageLength, String waitStrategy, String driverIdle)
    {
    }

    /**
     * @return the Aeron channel: {@code aeron:udp?endpoint=...|...} or {@code aeron:ipc...}.
     */
    public String channel()
    {
        final StringBuilder channel = new StringBuilder("aeron:").append(media);
        char separator = '?';
        for (final Map.Entry<String, String> entry : channelParameters.entrySet())
        {
            channel.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
            separator = '|';
        }
        return channel.toString();
    }

    /**
     * @param name an Aeron channel parameter.
     * @return its value, or null.
     */
    public String channelParameter(final String name)
    {
        return channelParameters.get(name);
    }

    /**
     * @return true for {@code aeron:udp}, false for {@code aeron:ipc}.
     */
    public boolean isUdp()
    {
        return CommonContext.UDP_MEDIA.equals(media);
    }

    /**
     * @return true for {@code aeron:udp} to one endpoint that is not a multicast group (and no {@code control}
     * address): the only kind whose subscriber confirms the end of the stream to the publisher.
     */
    public boolean isUnicast()
    {
        final String endpoint = channelParameters.get(CommonContext.ENDPOINT_PARAM_NAME);
        if (!isUdp() || endpoint == null || channelParameters.containsKey(CommonContext.MDC_CONTROL_PARAM_NAME))
        {
            return false;
        }
        final int colon = endpoint.lastIndexOf(':');
        final String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
        if (host.startsWith("["))
        {
            return !host.toLowerCase(Locale.ROOT).startsWith("[ff");
        }
        final int dot = host.indexOf('.');
        try
        {
            final int first = Integer.parseInt(dot < 0 ? host : host.substring(0, dot));
            return first < 224 || first > 239;
        }
        catch (final NumberFormatException ex)
        {
            return true; // a host name: Aeron resolves it; groups are written as addresses
        }
    }

    /**
     * @return the Aeron stream id.
     */
    public int streamId()
    {
        return streamId;
    }

    /**
     * @return the largest payload, in bytes ({@link #DEFAULT_MAX_MESSAGE_LENGTH} if the URI gives none).
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return true if the URI gives {@link #MAX_MESSAGE_LENGTH}.
     */
    public boolean hasMaxMessageLength()
    {
        return maxMessageLengthGiven;
    }

    /**
     * @return the external driver's directory, or null for the embedded driver.
     */
    public String aeronDir()
    {
        return aeronDir;
    }

    /**
     * @return the wait of {@code take} and timed {@code offer}: spin, yield or backoff.
     */
    public String waitStrategy()
    {
        return wait;
    }

    /**
     * @return the embedded driver's idle strategy asked for (spin, yield or backoff), or null if the URI names none.
     */
    public String driverIdle()
    {
        return driverIdle;
    }

    /**
     * @param endpoint a new endpoint, e.g. with the port a subscriber bound.
     * @return this URI's text with its endpoint replaced.
     */
    public String withEndpoint(final String endpoint)
    {
        final String current = channelParameters.get(CommonContext.ENDPOINT_PARAM_NAME);
        final String text = uri.toString();
        final int at = text.indexOf(CommonContext.ENDPOINT_PARAM_NAME + "=" + current);
        if (current == null || at < 0)
        {
            throw new IllegalStateException("URI has no endpoint to replace: uri=" + uri);
        }
        final int valueStart = at + CommonContext.ENDPOINT_PARAM_NAME.length() + 1;
        return text.substring(0, valueStart) + endpoint + text.substring(valueStart + current.length());
    }

    /**
     * @return the URI as written.
     */
    public TransportUri uri()
    {
        return uri;
    }

    @Override
    public String toString()
    {
        return uri.toString();
    }
}
