package io.vidrd.engine.schedule;

/**
 * The four fp32 scalars of one deterministic DDIM step (η = 0) from timestep t to its
 * predecessor, with a = ᾱ_t and a' = ᾱ_prev:
 * {@code x0 = (x − √(1−a)·ε) / √a;  x_prev = √a'·x0 + √(1−a')·ε}.
 *
 * <p>Each factor is what diffusers 0.14 gets from a 0-dim fp32 tensor: {@code 1 − a} rounded to
 * fp32, then {@code ** 0.5}, which PyTorch evaluates as a correctly rounded fp32 square root
 * (reproduced here as the double square root rounded once to float, which is exact because a
 * double carries more than 2·24 + 2 bits).
 *
 * @param sqrtOneMinusAlpha √(1 − ᾱ_t)
 * @param sqrtAlpha √ᾱ_t
 * @param sqrtAlphaPrev √ᾱ_prev
 * @param sqrtOneMinusAlphaPrev √(1 − ᾱ_prev)
 */
public record DdimCoefficients(float sqrtOneMinusAlpha, float sqrtAlpha, float sqrtAlphaPrev,
        float sqrtOneMinusAlphaPrev) {

    /**
     * @param alpha ᾱ_t as fp32
     * @param alphaPrev ᾱ_prev as fp32
     * @return the step's scalars
     */
    public static DdimCoefficients of(float alpha, float alphaPrev) {
        return new DdimCoefficients(sqrt(1f - alpha), sqrt(alpha), sqrt(alphaPrev),
                sqrt(1f - alphaPrev));
    }

    /**
     * Applies the step element-wise in the library's operation order, every operation rounded
     * to fp32 (Java never fuses these into FMAs).
     *
     * @param x the latents at t
     * @param eps the (guided) noise prediction, same length
     * @return the latents at the previous timestep (a new array)
     */
    public float[] apply(float[] x, float[] eps) {
        if (x.length != eps.length) {
            throw new IllegalArgumentException("latents and noise differ in length: " + x.length
                    + " vs " + eps.length);
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float x0 = (x[i] - sqrtOneMinusAlpha * eps[i]) / sqrtAlpha;
            out[i] = sqrtAlphaPrev * x0 + sqrtOneMinusAlphaPrev * eps[i];
        }
        return out;
    }

    private static float sqrt(float v) {
        return (float) Math.sqrt(v);
    }
}
