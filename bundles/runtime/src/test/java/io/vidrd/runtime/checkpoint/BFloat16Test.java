package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BFloat16Test {

    @Test
    void narrowingRoundsToNearestEvenAndWideningIsExact() {
        assertEquals((short) 0x3f80, BFloat16.fromFloat(1f));
        assertEquals(1f, BFloat16.toFloat((short) 0x3f80));
        assertEquals(-2f, BFloat16.toFloat(BFloat16.fromFloat(-2f)));
        // 1 + 2^-8 is half-way between 1 and 1 + 2^-7: ties go to the even pattern (1)
        assertEquals(1f, BFloat16.toFloat(BFloat16.fromFloat(1f + 0x1p-8f)));
        // 1 + 3·2^-8 is half-way between 1 + 2^-7 (odd) and 1 + 2^-6: up to the even one
        assertEquals(1f + 0x1p-6f, BFloat16.toFloat(BFloat16.fromFloat(1f + 3 * 0x1p-8f)));
        assertEquals(1f + 0x1p-7f, BFloat16.toFloat(BFloat16.fromFloat(1f + 0x1p-7f + 0x1p-12f)));
        // binary32's range: tiny values stay (no fp16-style underflow), huge ones too
        assertEquals(1e-30f, BFloat16.toFloat(BFloat16.fromFloat(1e-30f)), 1e-32f);
        assertEquals(3e38f, BFloat16.toFloat(BFloat16.fromFloat(3e38f)), 2e36f);
        assertEquals(Float.POSITIVE_INFINITY, BFloat16.toFloat(BFloat16.fromFloat(Float.MAX_VALUE)));
        assertEquals(Float.NEGATIVE_INFINITY, BFloat16.toFloat(BFloat16.fromFloat(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.NaN))));
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.intBitsToFloat(0x7f800001)))));
        for (float x : new float[] {0.1f, -3.14159f, 12345.678f, 7e-12f}) {
            float back = BFloat16.toFloat(BFloat16.fromFloat(x));
            assertTrue(Math.abs(back - x) <= Math.abs(x) * 0x1p-8f, x + " -> " + back);
        }
    }
}
