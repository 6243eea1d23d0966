package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport list: the C floor and the new shmring waits are there, the floor leads the table, and an echo child
 * cannot be told to open the floor as a Java transport.
 */
class PeersTest
{
    @Test
    void shouldPutTheCFloorFirstInTableOrder()
    {
        final List<MeasuredPeer> selected = Peers.select(List.of("shmring-spsc-sleep", CPingPong.FUTEX, "shmring-spsc-adaptive",
            CPingPong.SPIN));
        assertEquals(List.of(CPingPong.SPIN, CPingPong.FUTEX, "shmring-spsc-adaptive", "shmring-spsc-sleep"),
            selected.stream().map(MeasuredPeer::name).toList());
    }

    @Test
    void shouldRefuseTheCFloorAsAJavaTransportNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Peers.transport(CPingPong.SPIN));
        assertTrue(ex.getMessage().contains("transport=c-spin"), ex.getMessage());
    }

    @Test
    void shouldRefuseToMeasureTheFloorBeforeItIsBuilt()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> Peers.byName(CPingPong.SPIN).measure(null, (size, mode) -> { }));
        assertTrue(ex.getMessage().startsWith("c-spin: the C program was not built"), ex.getMessage());
    }
}
