package io.shmring.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDescriptorTest
{
    @Test
    void shouldAlignFrameLengthsToEightBytes()
    {
        assertEquals(8, FrameDescriptor.alignedFrameLength(0));
        assertEquals(16, FrameDescriptor.alignedFrameLength(1));
        assertEquals(16, FrameDescriptor.alignedFrameLength(8));
        assertEquals(24, FrameDescriptor.alignedFrameLength(9));
        assertEquals(13, FrameDescriptor.frameLength(5));
    }

    @Test
    void shouldRejectNegativeTypeIdNamingTheValue()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> FrameDescriptor.checkTypeId(-1));
        assertTrue(ex.getMessage().contains("typeId=-1"), ex.getMessage());
    }

    @Test
    void shouldRejectMessageLargerThanMaxLength()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> FrameDescriptor.checkMessageLength(1025, 1024));
        assertTrue(ex.getMessage().contains("length=1025"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrameDescriptor.checkMessageLength(-1, 1024));
        FrameDescriptor.checkMessageLength(1024, 1024);
    }
}
