package io.vidrd.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatTest {

    @Test
    void knownValuesAndTies() {
        assertEquals(0x3C00, bits(1f));
        assertEquals(0xC000, bits(-2f));
        assertEquals(0x2E66, bits(0.1f));
        assertEquals(0x7BFF, bits(65504f));
        assertEquals(0x7C00, bits(65520f), "halfway above the largest half rounds to infinity");
        assertEquals(0x0001, bits(6.0e-8f), "smallest subnormal");
        assertEquals(0x0000, bits(1e-9f));
        assertEquals(0x8000, bits(-0f));
        assertEquals(0x3C00, bits(1f + 0x1p-11f), "tie rounds to the even neighbour 1");
        assertEquals(0x3C02, bits(1f + 3 * 0x1p-11f), "tie rounds to the even neighbour 1 + 2^-9");
        assertTrue((bits(Float.NaN) & 0x7C00) == 0x7C00 && (bits(Float.NaN) & 0x3FF) != 0);
    }

    @Test
    void everyRoundingIsWithinHalfAUnitInTheLastPlace() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(2, rnd.nextInt(-20, 15)));
            double back = decode(bits(x));
            double ulp = Math.max(Math.ulp((float) back) * Math.pow(2, 13), 0x1p-24);
            assertTrue(Math.abs(back - x) <= ulp / 2 + 1e-30, x + " -> " + back);
        }
    }

    private static int bits(float x) {
        return HalfFloat.fromFloat(x) & 0xffff;
    }

    private static double decode(int h) {
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        double v = exp == 0 ? mant * 0x1p-24 : (1 + mant / 1024.0) * Math.pow(2, exp - 15);
        return (h & 0x8000) != 0 ? -v : v;
    }

    @Test
    void wideningIsExactAndNarrowingGivesTheSameBitsBack() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0) {
                continue;   // NaN payloads
            }
            float f = HalfFloat.toFloat((short) bits);
            assertEquals((short) bits, HalfFloat.fromFloat(f), "bits " + Integer.toHexString(bits));
        }
    }
}
