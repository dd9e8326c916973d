package io.vidrd.engine.schedule;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The noise schedule and timestep bookkeeping of diffusers 0.14's {@code DDIMScheduler}, with
 * the fp32 constants bit-identical to PyTorch's on CPU.
 *
 * <p>β: {@code torch.linspace(s0, s1, N, dtype=float32)} (of √β for scaled-linear, then squared
 * in fp32), where s0/s1 are the config doubles (or their square roots) rounded to fp32. PyTorch's
 * CPU linspace computes {@code step = (s1 − s0)/(N − 1)} in fp32 and fills the first half
 * forwards from s0 and the second half backwards from s1, each element as one fused
 * multiply-add; {@code Math.fma} reproduces that rounding. ᾱ: {@code cumprod(1 − β)} with
 * {@code 1 − β} in fp32 and the running product kept in double (PyTorch's CPU accumulator type
 * for float), rounded to fp32 per element.
 *
 * <p>Timesteps ("leading" spacing): with r = N / T (integer division),
 * t_i = (T − 1 − i)·r + steps_offset; the step from t goes to t − r, and below 0 uses the final
 * ᾱ (1 if {@code set_alpha_to_one}, else ᾱ₀).
 */
public final class DdimSchedule {

    private final SchedulerConfig config;
    private final float[] betas;
    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;

    private DdimSchedule(SchedulerConfig config) {
        this.config = config;
        int n = config.numTrainTimesteps();
        this.betas = switch (config.betaSchedule()) {
            case LINEAR -> linspace((float) config.betaStart(), (float) config.betaEnd(), n);
            case SCALED_LINEAR -> squared(linspace((float) Math.sqrt(config.betaStart()),
                    (float) Math.sqrt(config.betaEnd()), n));
        };
        this.alphasCumprod = new float[n];
        double product = 1.0;
        for (int k = 0; k < n; k++) {
            product *= 1f - betas[k];
            alphasCumprod[k] = (float) product;
        }
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1f : alphasCumprod[0];
    }

    /**
     * @param config a validated scheduler config
     * @return the schedule
     */
    public static DdimSchedule of(SchedulerConfig config) {
        return new DdimSchedule(config);
    }

    /**
     * @param schedulerConfig a {@code scheduler_config.json} or the folder holding it
     * @return the schedule
     * @throws IOException when the config is missing, malformed or unsupported
     */
    public static DdimSchedule load(Path schedulerConfig) throws IOException {
        return of(SchedulerConfig.load(schedulerConfig));
    }

    /** @return the config this schedule was built from */
    public SchedulerConfig config() {
        return config;
    }

    /** @return N, the number of training timesteps */
    public int numTrainTimesteps() {
        return betas.length;
    }

    /** @return β_0 … β_{N−1} as fp32 (a copy) */
    public float[] betas() {
        return betas.clone();
    }

    /** @return ᾱ_0 … ᾱ_{N−1} as fp32 (a copy) */
    public float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** @return ᾱ used after the last step (1 or ᾱ₀, per {@code set_alpha_to_one}) */
    public float finalAlphaCumprod() {
        return finalAlphaCumprod;
    }

    /**
     * @param numInferenceSteps T, between 1 and N
     * @return the T timesteps from noisiest to cleanest (981, 961, …, 1 for T = 50 in SD)
     */
    public int[] timesteps(int numInferenceSteps) {
        int ratio = stepRatio(numInferenceSteps);
        int[] t = new int[numInferenceSteps];
        for (int i = 0; i < numInferenceSteps; i++) {
            t[i] = (numInferenceSteps - 1 - i) * ratio + config.stepsOffset();
        }
        return t;
    }

    /**
     * @param numInferenceSteps T, between 1 and N
     * @return r = N / T, the distance between consecutive timesteps
     */
    public int stepRatio(int numInferenceSteps) {
        if (numInferenceSteps < 1 || numInferenceSteps > betas.length) {
            throw new IllegalArgumentException("number of inference steps must lie in [1, "
                    + betas.length + "], found " + numInferenceSteps);
        }
        return betas.length / numInferenceSteps;
    }

    /**
     * @param t a timestep
     * @param numInferenceSteps T
     * @return the timestep the DDIM step from t goes to (negative past the end)
     */
    public int prevTimestep(int t, int numInferenceSteps) {
        return t - stepRatio(numInferenceSteps);
    }

    /**
     * @param t a timestep in [0, N)
     * @return ᾱ_t
     */
    public float alphaCumprod(int t) {
        if (t < 0 || t >= alphasCumprod.length) {
            throw new IllegalArgumentException("timestep " + t + " outside [0, "
                    + alphasCumprod.length + ")");
        }
        return alphasCumprod[t];
    }

    /**
     * @param t a timestep
     * @param numInferenceSteps T
     * @return ᾱ of the step's target timestep, or the final ᾱ when that is negative
     */
    public float alphaCumprodPrev(int t, int numInferenceSteps) {
        int prev = prevTimestep(t, numInferenceSteps);
        return prev >= 0 ? alphaCumprod(prev) : finalAlphaCumprod;
    }

    /**
     * @param t the current timestep
     * @param numInferenceSteps T
     * @return the fp32 scalars of the η = 0 DDIM step from t
     */
    public DdimCoefficients coefficients(int t, int numInferenceSteps) {
        return DdimCoefficients.of(alphaCumprod(t), alphaCumprodPrev(t, numInferenceSteps));
    }

    /**
     * One η = 0 DDIM step on plain arrays (reference and test path; the engine applies
     * {@link #coefficients} to tensors itself).
     *
     * @param x latents at t, any layout
     * @param eps guided noise prediction, same layout
     * @param t the current timestep
     * @param numInferenceSteps T
     * @return latents at the previous timestep
     */
    public float[] step(float[] x, float[] eps, int t, int numInferenceSteps) {
        return coefficients(t, numInferenceSteps).apply(x, eps);
    }

    private static float[] linspace(float start, float end, int n) {
        float step = (end - start) / (float) (n - 1);
        int halfway = n / 2;
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = k < halfway ? Math.fma(step, (float) k, start)
                    : Math.fma(-step, (float) (n - 1 - k), end);
        }
        return out;
    }

    private static float[] squared(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * v[i];
        }
        return out;
    }
}
