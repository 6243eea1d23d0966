package io.shmring.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizePlanTest
{
    @Test
    void shouldDecodeWhatItEncodes()
    {
        final List<SizePlan> plans = List.of(new SizePlan(32, 10, 20, 30, 40), new SizePlan(65536, 0, 1, 0, 1));
        assertEquals(plans, SizePlan.decode(SizePlan.encode(plans)));
    }

    @Test
    void shouldRejectSizeBelowSequenceAndTimestamp()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new SizePlan(8, 1, 1, 1, 1));
        assertTrue(ex.getMessage().contains("size=8"), ex.getMessage());
    }

    @Test
    void shouldRejectMalformedPlanNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SizePlan.decode("64:1:2"));
        assertTrue(ex.getMessage().contains("plan=64:1:2"), ex.getMessage());
    }
}
