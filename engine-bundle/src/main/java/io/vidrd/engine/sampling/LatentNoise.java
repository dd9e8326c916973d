package io.vidrd.engine.sampling;

import io.vidrd.runtime.NoiseSource;

/**
 * The pipeline's noise functions (model/utils.py), computed on the host because every draw is
 * made there: draw order, shapes and fp32 arithmetic follow VIDRD.md §6.2 and §6.5.
 */
final class LatentNoise {

    private LatentNoise() {}

    /**
     * {@code randn_progressive(shape, dim=2, alpha)}: one draw of {@code [B, C, 1, h, w]} per frame;
     * frame f = fl32(a/√(1+a²))·frame f−1 + normal(0, 1/(1+a²)) (the code's std is 1/(1+a²), not
     * its square root).
     *
     * @param shape {@code [B, C, N, h, w]}
     * @param alpha the progressive prior a
     * @param noise the job's noise source
     * @return the latents, row-major in {@code shape}
     */
    static float[] progressive(long[] shape, double alpha, NoiseSource noise) {
        int b = (int) shape[0] * (int) shape[1];
        int frames = (int) shape[2];
        int plane = (int) (shape[3] * shape[4]);
        long[] frameShape = {shape[0], shape[1], 1, shape[3], shape[4]};
        float carry = (float) (alpha / Math.sqrt(1.0 + alpha * alpha));
        float std = (float) (1.0 / (1.0 + alpha * alpha));
        float[] out = new float[b * frames * plane];
        float[] previous = noise.normal(frameShape, 0f, 1f);
        place(out, previous, 0, b, frames, plane);
        for (int f = 1; f < frames; f++) {
            float[] draw = noise.normal(frameShape, 0f, std);
            float[] current = new float[draw.length];
            for (int i = 0; i < draw.length; i++) {
                current[i] = carry * previous[i] + draw[i];
            }
            place(out, current, f, b, frames, plane);
            previous = current;
        }
        return out;
    }

    /**
     * The past-dependent noise of a later clip: one draw of the full latent shape with std
     * 1/√(1+α²), all of it consumed even where unused.
     *
     * @param shape {@code [B, C, N, h, w]}
     * @param alpha α
     * @param noise the job's noise source
     * @return the draw, row-major in {@code shape}
     */
    static float[] reuse(long[] shape, double alpha, NoiseSource noise) {
        return noise.normal(shape, 0f, (float) (1.0 / Math.sqrt(1.0 + alpha * alpha)));
    }

    /** @param alpha α @return fl32(α/√(1+α²)), the weight of the previous clip's noise */
    static float reuseWeight(double alpha) {
        return (float) (alpha / Math.sqrt(1.0 + alpha * alpha));
    }

    private static void place(float[] out, float[] frame, int f, int rows, int frames, int plane) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(frame, r * plane, out, (r * frames + f) * plane, plane);
        }
    }
}
