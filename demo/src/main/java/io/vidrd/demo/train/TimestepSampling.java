package io.vidrd.demo.train;

import java.util.SplittableRandom;

/**
 * Which noise levels the U-Net stage trains on and how much each counts: timesteps are drawn
 * uniformly from {@code first..last}, and a sample at timestep t weighs
 * {@code min(1/ᾱ_t, highNoiseWeight)} in the ε mean-squared error.
 *
 * <p>Why a weight: ε-MSE at timestep t equals {@code SNR_t = ᾱ_t/(1−ᾱ_t)} times the error of the
 * implied clean latent, so at the high noise levels where the prompt has to decide the layout and
 * the trajectory (t ≳ 700, SNR < 0.1) a wrong motion direction costs almost nothing: in the demo
 * model, swapping "left" for "right" in the caption changed the ε-MSE of real clips by under 1 %.
 * {@code 1/ᾱ_t} is the weighting of the v-objective ({@code ‖v̂−v‖² = ‖ε̂−ε‖²/ᾱ_t}); the cap keeps
 * the last timesteps (1/ᾱ ≈ 200) from drowning the rest. A weight of 1 is the plain ε objective.
 *
 * @param first smallest timestep drawn
 * @param last largest timestep drawn
 * @param highNoiseWeight cap of the per-sample weight, at least 1 (1: every sample weighs 1)
 */
public record TimestepSampling(int first, int last, double highNoiseWeight) {

    /** The plain ε objective over the whole 1000-step schedule. */
    public static final TimestepSampling UNIFORM = new TimestepSampling(0, 999, 1);

    /**
     * @throws IllegalArgumentException if the range is empty or negative, or the weight below 1
     */
    public TimestepSampling {
        if (first < 0 || first > last) {
            throw new IllegalArgumentException("timesteps " + first + "-" + last + " are not a range from 0 up");
        }
        if (!(highNoiseWeight >= 1) || Double.isInfinite(highNoiseWeight)) {
            throw new IllegalArgumentException("the high-noise weight must be a number >= 1, got " + highNoiseWeight);
        }
    }

    /**
     * @param scheduleLength the training schedule's timestep count
     * @return this, checked against the schedule
     * @throws IllegalArgumentException if {@code last} is beyond the schedule
     */
    public TimestepSampling within(int scheduleLength) {
        if (last >= scheduleLength) {
            throw new IllegalArgumentException("timesteps " + first + "-" + last + " are not a range within 0-"
                    + (scheduleLength - 1));
        }
        return this;
    }

    /**
     * @param random the step's stream
     * @return a timestep, uniform in {@code first..last}
     */
    public int draw(SplittableRandom random) {
        return first + random.nextInt(last - first + 1);
    }

    /**
     * @param alphaBar ᾱ_t of the drawn timestep
     * @return the sample's weight in the loss
     */
    public float weight(double alphaBar) {
        return (float) Math.min(1 / alphaBar, highNoiseWeight);
    }
}
