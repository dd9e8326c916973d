package io.vidrd.runtime.checkpoint;

/**
 * IEEE 754 binary16 (the {@code F16} of safetensors files) to binary32 and back, for Java 17,
 * which has neither {@code Float.floatToFloat16} nor {@code Float.float16ToFloat}. Widening is
 * exact; narrowing rounds to nearest even: values beyond the half range become infinity, tiny
 * ones subnormal or zero, NaN stays NaN.
 */
public final class HalfFloat {

    private HalfFloat() {
    }

    /**
     * @param value a float
     * @return its nearest half-precision bit pattern
     */
    public static short fromFloat(float value) {
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

    /**
     * @param bits a half-precision bit pattern
     * @return its exact float value
     */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f;   // subnormal (or zero): exact in binary32
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
