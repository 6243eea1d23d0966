package io.shmring.aeron;

import io.shmring.core.Transports;
import io.shmring.core.TransportUri;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AeronUriTest
{
    @Test
    void shouldBuildUnicastChannelWithDefaults()
    {
        final AeronUri uri = parse("aeron:udp?endpoint=127.0.0.1:40123");

        assertEquals("aeron:udp?endpoint=127.0.0.1:40123", uri.channel());
        assertTrue(uri.isUdp());
        assertEquals(AeronUri.DEFAULT_STREAM_ID, uri.streamId());
        assertEquals(AeronUri.DEFAULT_MAX_MESSAGE_LENGTH, uri.maxMessageLength());
        assertFalse(uri.hasMaxMessageLength());
        assertNull(uri.aeronDir());
        assertEquals("backoff", uri.waitStrategy());
        assertNull(uri.driverIdle());
    }

    @Test
    void shouldAcceptAeronPipesAndShmringAmpersandsMixed()
    {
        final AeronUri uri = parse(
            "aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.1|ttl=0&streamId=7&maxMessageLength=4k|term-length=1m&wait=spin");

        assertEquals("aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.1|ttl=0|term-length=1m", uri.channel());
        assertEquals(7, uri.streamId());
        assertEquals(4096, uri.maxMessageLength());
        assertTrue(uri.hasMaxMessageLength());
        assertEquals("spin", uri.waitStrategy());
    }

    @Test
    void shouldBuildIpcChannelAndKeepExternalDriverDirectory()
    {
        final AeronUri uri = parse("aeron:ipc?aeronDir=/dev/shm/aeron-md&term-length=64k&driverIdle=yield");

        assertEquals("aeron:ipc?term-length=64k", uri.channel());
        assertFalse(uri.isUdp());
        assertEquals("/dev/shm/aeron-md", uri.aeronDir());
        assertEquals("yield", uri.driverIdle());
    }

    @Test
    void shouldTellUnicastFromMulticastAndIpc()
    {
        assertTrue(parse("aeron:udp?endpoint=127.0.0.1:40123").isUnicast());
        assertTrue(parse("aeron:udp?endpoint=localhost:40123").isUnicast());
        assertTrue(parse("aeron:udp?endpoint=[::1]:40123").isUnicast());
        assertFalse(parse("aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.1").isUnicast());
        assertFalse(parse("aeron:udp?endpoint=239.255.0.1:40456").isUnicast());
        assertFalse(parse("aeron:udp?endpoint=[ff02::1]:40456").isUnicast());
        assertFalse(parse("aeron:udp?control=127.0.0.1:40457|control-mode=dynamic").isUnicast());
        assertFalse(parse("aeron:ipc").isUnicast());
    }

    @Test
    void shouldReplaceEndpointKeepingEverythingElse()
    {
        final AeronUri uri = parse("aeron:udp?endpoint=127.0.0.1:0|term-length=64k&streamId=3");

        assertEquals("aeron:udp?endpoint=127.0.0.1:41234|term-length=64k&streamId=3", uri.withEndpoint("127.0.0.1:41234"));
    }

    @Test
    void shouldRejectUdpWithoutEndpoint()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse("aeron:udp?ttl=1"));
        assertTrue(ex.getMessage().startsWith("aeron:udp needs endpoint=HOST:PORT"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownMediaNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse("aeron:tcp?endpoint=x:1"));
        assertTrue(ex.getMessage().contains("media=tcp"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownParameterAfterPipeNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> parse("aeron:udp?endpoint=127.0.0.1:1|endpiont=x"));
        assertTrue(ex.getMessage().startsWith("unknown parameter for scheme aeron: endpiont=x"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownParameterThroughTransports()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscriber("aeron:udp?endpoint=127.0.0.1:1&stream-id=5"));
        assertTrue(ex.getMessage().contains("stream-id=5"), ex.getMessage());
        assertTrue(ex.getMessage().contains("streamId"), "lists the accepted names: " + ex.getMessage());
    }

    @Test
    void shouldRejectParameterGivenTwiceAcrossSeparators()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> parse("aeron:udp?endpoint=127.0.0.1:1|streamId=1&streamId=2"));
        assertTrue(ex.getMessage().startsWith("parameter given twice: name=streamId"), ex.getMessage());
    }

    @Test
    void shouldRejectNetworkParametersOnIpc()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> parse("aeron:ipc?endpoint=127.0.0.1:1"));
        assertTrue(ex.getMessage().startsWith("bad parameter endpoint=127.0.0.1:1"), ex.getMessage());
    }

    @Test
    void shouldRejectBadOptionValuesNamingThem()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("aeron:ipc?streamId=x")).getMessage()
            .startsWith("bad parameter streamId=x: expected an integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("aeron:ipc?maxMessageLength=17m")).getMessage()
            .startsWith("bad parameter maxMessageLength=17m: expected a size in 0.."));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("aeron:ipc?wait=sleep")).getMessage()
            .startsWith("bad parameter wait=sleep: expected one of [spin, yield, backoff]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("aeron:ipc?driverIdle=nap")).getMessage()
            .startsWith("bad parameter driverIdle=nap"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("aeron:ipc?aeronDir=")).getMessage()
            .startsWith("bad parameter aeronDir="));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("aeron:udp?endpoint=127.0.0.1:1|mtu=")).getMessage()
            .startsWith("bad parameter mtu="));
    }

    private static AeronUri parse(final String text)
    {
        return AeronUri.parse(TransportUri.parse(text));
    }
}
