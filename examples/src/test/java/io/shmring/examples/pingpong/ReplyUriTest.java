package io.shmring.examples.pingpong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyUriTest
{
    @Test
    void shouldAppendSuffixToThePathAndKeepParameters()
    {
        assertEquals("shm:/dev/shm/pp-pong?wait=spin&capacity=64k", ReplyUri.derive("shm:/dev/shm/pp?wait=spin&capacity=64k"));
        assertEquals("shm:pp-pong", ReplyUri.derive("shm:pp"));
        assertEquals("uds:/tmp/pp.sock-pong", ReplyUri.derive("uds:/tmp/pp.sock"));
        assertEquals("fifo:/tmp/pp-pong?batch=0", ReplyUri.derive("fifo:/tmp/pp?batch=0"));
    }

    @Test
    void shouldUseTheNextPortForTcp()
    {
        assertEquals("tcp://127.0.0.1:7001", ReplyUri.derive("tcp://127.0.0.1:7000"));
        assertEquals("tcp://localhost:7001?noDelay=true", ReplyUri.derive("tcp://localhost:7000?noDelay=true"));
    }

    @Test
    void shouldRefuseUrisWithoutADerivableReply()
    {
        final IllegalArgumentException pipe = assertThrows(IllegalArgumentException.class, () -> ReplyUri.derive("pipe:stdout"));
        assertTrue(pipe.getMessage().contains("uri=pipe:stdout"), pipe.getMessage());
        final IllegalArgumentException anyPort = assertThrows(IllegalArgumentException.class, () -> ReplyUri.derive("tcp://127.0.0.1:0"));
        assertTrue(anyPort.getMessage().contains("fixed port"), anyPort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReplyUri.derive("tcp://127.0.0.1:65535"));
        assertThrows(IllegalArgumentException.class, () -> ReplyUri.derive("shm:"));
    }
}
