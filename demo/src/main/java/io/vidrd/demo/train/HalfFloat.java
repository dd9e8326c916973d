package io.vidrd.demo.train;

/**
 * IEEE 754 binary32 to binary16 with round-to-nearest-even (Java 17 has no
 * {@code Float.floatToFloat16}): values beyond the half range become infinity, tiny ones
 * subnormal or zero, NaN stays NaN.
 */
final class HalfFloat {

    private HalfFloat() {
    }

    /**
     * @param value a float
     * @return its nearest half-precision bit pattern
     */
    static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xff;
        int mant = f & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // subnormal: shift the mantissa with its implicit bit into place, rounding to nearest even
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;   // a carry into the exponent is the correct rounding, up to infinity
        }
        return (short) (sign | half);
    }
}
