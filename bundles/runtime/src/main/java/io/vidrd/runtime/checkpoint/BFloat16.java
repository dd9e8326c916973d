package io.vidrd.runtime.checkpoint;

/**
 * bfloat16 (the {@code BF16} of safetensors files: the upper half of a binary32) to binary32 and
 * back, in Java, because stock DJL 0.35.1 aborts the JVM on any bfloat16 tensor on the CPU.
 * Widening is exact; narrowing rounds to nearest even (the range is binary32's, so only values
 * within half a unit of the largest finite one round up to infinity), NaN stays NaN.
 */
public final class BFloat16 {

    private BFloat16() {
    }

    /**
     * @param value a float
     * @return its nearest bfloat16 bit pattern
     */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7f800000) == 0x7f800000 && (f & 0x7fffff) != 0) {
            return (short) ((f >>> 16) | 0x40);   // keep NaN a NaN whatever its payload
        }
        int roundingBias = 0x7fff + ((f >>> 16) & 1);
        return (short) ((f + roundingBias) >>> 16);
    }

    /**
     * @param bits a bfloat16 bit pattern
     * @return its exact float value
     */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
