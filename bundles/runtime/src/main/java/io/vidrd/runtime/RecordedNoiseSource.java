package io.vidrd.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replays draws recorded from another implementation (for example the official run's CUDA draws
 * in a golden folder): the k-th call returns the k-th recorded tensor as is. The shape of every
 * call must match the recording, so a different draw order is caught, not silently absorbed.
 */
public final class RecordedNoiseSource implements NoiseSource {

    /** One recorded draw. @param shape its shape @param values its values, row-major */
    public record Draw(long[] shape, float[] values) {}

    private final List<Draw> draws;
    private int next;

    /** @param draws the draws in the order they were made */
    public RecordedNoiseSource(List<Draw> draws) {
        this.draws = new ArrayList<>(draws);
    }

    @Override
    public float[] normal(long[] shape, float mean, float std) {
        if (next >= draws.size()) {
            throw new IllegalStateException("draw " + next + " of shape " + Arrays.toString(shape)
                    + " requested, but only " + draws.size() + " draws were recorded");
        }
        Draw d = draws.get(next);
        if (!Arrays.equals(d.shape(), shape)) {
            throw new IllegalStateException("draw " + next + " requested with shape " + Arrays.toString(shape)
                    + " but the recording has shape " + Arrays.toString(d.shape()));
        }
        next++;
        return d.values().clone();
    }

    @Override
    public int drawCount() {
        return next;
    }

    /** @return whether every recorded draw was consumed */
    public boolean exhausted() {
        return next == draws.size();
    }
}
