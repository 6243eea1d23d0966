package io.shmring.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A transport address: {@code scheme:path?name=value&...} or {@code scheme://host:port?name=value&...}.
 * <pre>
 *   shm:/dev/shm/md?capacity=4m&amp;wait=spin
 *   fifo:/tmp/md.fifo
 *   uds:/tmp/md.sock?allowUid=1000,1001
 *   tcp://127.0.0.1:7000
 *   pipe:stdout
 * </pre>
 * Parameter values are read through typed getters that throw {@link IllegalArgumentException}
 * naming the parameter, the value and what is accepted. No percent-decoding is done: paths are
 * taken as written.
 */
public final class TransportUri
{
    private static final long KIB = 1024;

    private final String text;
    private final String scheme;
    private final String path;
    private final String host;
    private final int port;
    private final Map<String, String> parameters;

    private TransportUri(
        final String text, final String scheme, final String path, final String host, final int port,
        final Map<String, String> parameters)
    {
        this.text = text;
        this.scheme = scheme;
        this.path = path;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
    }

    /**
     * @param text the URI.
     * @return the parsed URI.
     * @throws IllegalArgumentException if it has no scheme, a bad port or a malformed or repeated parameter.
     */
    public static TransportUri parse(final String text)
    {
        if (text == null)
        {
            throw new IllegalArgumentException("transport URI must not be null");
        }
        final int colon = text.indexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("transport URI needs a scheme, as in shm:/dev/shm/name: uri=" + text);
        }
        final String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        final String rest = text.substring(colon + 1);
        final int question = rest.indexOf('?');
        final String address = question < 0 ? rest : rest.substring(0, question);
        final Map<String, String> parameters = question < 0 ?
            Collections.emptyMap() : parseQuery(text, rest.substring(question + 1));

        String path = address;
        String host = null;
        int port = -1;
        if (address.startsWith("//"))
        {
            final String authorityAndPath = address.substring(2);
            final int slash = authorityAndPath.indexOf('/');
            final String authority = slash < 0 ? authorityAndPath : authorityAndPath.substring(0, slash);
            path = slash < 0 ? "" : authorityAndPath.substring(slash);
            final int portColon = authority.lastIndexOf(':');
            if (portColon < 0 || authority.endsWith("]"))
            {
                host = authority;
            }
            else
            {
                host = authority.substring(0, portColon);
                port = parsePort(text, authority.substring(portColon + 1));
            }
            if (host.startsWith("[") && host.endsWith("]"))
            {
                host = host.substring(1, host.length() - 1);
            }
        }
        return new TransportUri(text, scheme, path, host, port, parameters);
    }

    private static Map<String, String> parseQuery(final String text, final String query)
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (query.isEmpty())
        {
            return parameters;
        }
        for (final String pair : query.split("&", -1))
        {
            final int equals = pair.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("parameter must be name=value: parameter=" + pair + " uri=" + text);
            }
            final String name = pair.substring(0, equals);
            if (parameters.put(name, pair.substring(equals + 1)) != null)
            {
                throw new IllegalArgumentException("parameter given twice: name=" + name + " uri=" + text);
            }
        }
        return Collections.unmodifiableMap(parameters);
    }

    private static int parsePort(final String text, final String value)
    {
        try
        {
            final int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535)
            {
                return port;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException("port must be in 0..65535: port=" + value + " uri=" + text);
    }

    /**
     * @param accepted names this transport understands.
     * @throws IllegalArgumentException naming the first unknown parameter and listing the accepted ones.
     */
    public void checkParameters(final Set<String> accepted)
    {
        for (final String name : parameters.keySet())
        {
            if (!accepted.contains(name))
            {
                throw new IllegalArgumentException("unknown parameter for scheme " + scheme + ": " + name +
                    "=" + parameters.get(name) + " (accepted: " + new TreeSet<>(accepted) + ") uri=" + text);
            }
        }
    }

    /**
     * @return the scheme in lower case, without the colon.
     */
    public String scheme()
    {
        return scheme;
    }

    /**
     * @return what follows the scheme (or the authority) up to the query: a file path, or a name such as {@code stdout}.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return the host of a {@code scheme://host:port} URI, or null; brackets of an IPv6 literal removed.
     */
    public String host()
    {
        return host;
    }

    /**
     * @return the port of a {@code scheme://host:port} URI, or -1 if none was given.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return every parameter, in the order written.
     */
    public Map<String, String> parameters()
    {
        return parameters;
    }

    /**
     * @param name a parameter.
     * @return its value, or null if absent.
     */
    public String get(final String name)
    {
        return parameters.get(name);
    }

    /**
     * @param name a parameter.
     * @return true if the URI gives it.
     */
    public boolean has(final String name)
    {
        return parameters.containsKey(name);
    }

    /**
     * A byte size: a plain number or one with a suffix {@code k}, {@code m} or {@code g} (powers of 1024).
     *
     * @param name         parameter.
     * @param defaultValue value when absent.
     * @param min          smallest accepted.
     * @param max          largest accepted.
     * @return the size in bytes.
     */
    public int getSize(final String name, final int defaultValue, final int min, final int max)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        final long size = parseSize(value);
        if (size < min || size > max)
        {
            throw badParameter(name, value, "a size in " + min + ".." + max + " bytes (suffix k, m or g allowed)");
        }
        return (int)size;
    }

    /**
     * @param name         parameter.
     * @param defaultValue value when absent.
     * @param min          smallest accepted.
     * @param max          largest accepted.
     * @return the value.
     */
    public long getLong(final String name, final long defaultValue, final long min, final long max)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            final long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max)
            {
                return parsed;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the accepted range
        }
        throw badParameter(name, value, "an integer in " + min + ".." + max);
    }

    /**
     * @param name         parameter.
     * @param defaultValue value when absent.
     * @return true for {@code true}, false for {@code false}.
     */
    public boolean getBoolean(final String name, final boolean defaultValue)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        if ("true".equals(value))
        {
            return true;
        }
        if ("false".equals(value))
        {
            return false;
        }
        throw badParameter(name, value, "true or false");
    }

    /**
     * @param name         parameter.
     * @param defaultValue value when absent.
     * @param accepted     the values allowed.
     * @return the value, one of {@code accepted}.
     */
    public String getChoice(final String name, final String defaultValue, final List<String> accepted)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        if (!accepted.contains(value))
        {
            throw badParameter(name, value, "one of " + accepted);
        }
        return value;
    }

    /**
     * @param name parameter holding comma-separated integers.
     * @param min  smallest accepted element.
     * @param max  largest accepted element.
     * @return the integers, empty if the parameter is absent.
     */
    public List<Long> getLongList(final String name, final long min, final long max)
    {
        final String value = parameters.get(name);
        final List<Long> result = new ArrayList<>();
        if (value == null)
        {
            return result;
        }
        for (final String element : value.split(",", -1))
        {
            try
            {
                final long parsed = Long.parseLong(element.trim());
                if (parsed >= min && parsed <= max)
                {
                    result.add(parsed);
                    continue;
                }
            }
            catch (final NumberFormatException ignore)
            {
                // reported below with the accepted range
            }
            throw badParameter(name, value, "comma-separated integers in " + min + ".." + max);
        }
        return result;
    }

    /**
     * @param name     parameter.
     * @param value    its value.
     * @param accepted what would have been accepted.
     * @return an exception naming all three and the URI.
     */
    public IllegalArgumentException badParameter(final String name, final String value, final String accepted)
    {
        return new IllegalArgumentException(
            "bad parameter " + name + "=" + value + ": expected " + accepted + " uri=" + text);
    }

    private static long parseSize(final String value)
    {
        if (value.isEmpty())
        {
            return -1;
        }
        final char suffix = Character.toLowerCase(value.charAt(value.length() - 1));
        final long unit = suffix == 'k' ? KIB : suffix == 'm' ? KIB * KIB : suffix == 'g' ? KIB * KIB * KIB : 1;
        final String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
        try
        {
            final long number = Long.parseLong(digits);
            return number < 0 || number > Long.MAX_VALUE / unit ? -1 : number * unit;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    @Override
    public String toString()
    {
        return text;
    }
}
