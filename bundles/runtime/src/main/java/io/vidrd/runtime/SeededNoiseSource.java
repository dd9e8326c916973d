package io.vidrd.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Standard-normal draws from a {@link SplittableRandom} seeded once per job. Not thread-safe: one
 * instance belongs to one job. Streams are identical on every platform and device; they are not
 * PyTorch's CUDA Philox stream, which cannot be reproduced outside a CUDA generator.
 */
public final class SeededNoiseSource implements NoiseSource {

    private final SplittableRandom random;
    private int draws;

    /** @param seed the job's seed */
    public SeededNoiseSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public float[] normal(long[] shape, float mean, float std) {
        long count = Arrays.stream(shape).reduce(1L, Math::multiplyExact);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("noise of shape " + Arrays.toString(shape) + " is too large for one draw");
        }
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian() * std + mean;
        }
        draws++;
        return out;
    }

    @Override
    public int drawCount() {
        return draws;
    }
}
