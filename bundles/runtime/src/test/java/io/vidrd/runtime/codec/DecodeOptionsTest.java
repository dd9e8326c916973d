package io.vidrd.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DecodeOptionsTest {

    @Test
    void defaultsLeaveBothChoicesToTheCodecAndWithersCopy() {
        DecodeOptions d = DecodeOptions.defaults();
        assertEquals(0, d.sliceFrames());
        assertEquals(0, d.clipFrames());
        DecodeOptions o = d.withSliceFrames(3).withClipFrames(6);
        assertEquals(3, o.sliceFrames());
        assertEquals(6, o.clipFrames());
        assertEquals(0, d.sliceFrames(), "defaults() is not changed");
        assertEquals(o, DecodeOptions.defaults().withClipFrames(6).withSliceFrames(3));
        assertNotEquals(o, d);
    }

    @Test
    void negativeValuesAreRefusedWithTheField() {
        assertEquals("sliceFrames must be >= 0 (0 = the codec's setting), got -1",
                assertThrows(IllegalArgumentException.class, () -> DecodeOptions.defaults().withSliceFrames(-1)).getMessage());
        assertEquals("clipFrames must be >= 0 (0 = all frames of a video), got -2",
                assertThrows(IllegalArgumentException.class, () -> DecodeOptions.defaults().withClipFrames(-2)).getMessage());
    }
}
