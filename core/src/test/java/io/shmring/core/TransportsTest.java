package io.shmring.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportsTest
{
    @Test
    void shouldFindStreamProvidersByScheme()
    {
        assertTrue(Transports.providers().keySet().containsAll(java.util.List.of("fifo", "pipe", "tcp", "uds")),
            Transports.providers().keySet().toString());
    }

    @Test
    void shouldRejectUnknownSchemeListingAcceptedOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("carrier-pigeon:/loft"));
        assertTrue(ex.getMessage().contains("scheme=carrier-pigeon"), ex.getMessage());
        for (final String scheme : new String[]{ "fifo", "pipe", "tcp", "uds" })
        {
            assertTrue(ex.getMessage().contains(scheme + " ("), ex.getMessage());
        }
    }

    @Test
    void shouldRejectUnknownParameterListingAcceptedOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("uds:/tmp/x.sock?colour=blue"));
        assertTrue(ex.getMessage().contains("colour=blue"), ex.getMessage());
        assertTrue(ex.getMessage().contains("allowUid"), ex.getMessage());
    }

    @Test
    void shouldRejectBadValueNamingParameterAndValue()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("tcp://127.0.0.1:1?maxMessageLength=lots"));
        assertTrue(ex.getMessage().contains("maxMessageLength=lots"), ex.getMessage());
        final IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("tcp://127.0.0.1:70000"));
        assertTrue(port.getMessage().contains("port=70000"), port.getMessage());
        final IllegalArgumentException pipe = assertThrows(IllegalArgumentException.class,
            () -> Transports.publisher("pipe:stdin"));
        assertTrue(pipe.getMessage().contains("pipe:stdout"), pipe.getMessage());
    }

    @Test
    void shouldParseUriParts()
    {
        final TransportUri shm = TransportUri.parse("shm:/dev/shm/md?capacity=4m&wait=spin");
        assertEquals("shm", shm.scheme());
        assertEquals("/dev/shm/md", shm.path());
        assertEquals(4 * 1024 * 1024, shm.getSize("capacity", 0, 0, Integer.MAX_VALUE));
        assertEquals(64 * 1024, TransportUri.parse("x:y?s=64k").getSize("s", 0, 0, Integer.MAX_VALUE));
        final TransportUri tcp = TransportUri.parse("tcp://[::1]:7000");
        assertEquals("::1", tcp.host());
        assertEquals(7000, tcp.port());
        assertEquals("stdout", TransportUri.parse("pipe:stdout").path());
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> TransportUri.parse("x:y?a=1&a=2"));
        assertTrue(twice.getMessage().contains("name=a"), twice.getMessage());
        final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
            () -> TransportUri.parse("x:y?s=4q").getSize("s", 0, 0, 100));
        assertTrue(size.getMessage().contains("s=4q"), size.getMessage());
    }
}
