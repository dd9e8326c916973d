package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Receives the results and progress of {@link VidrdSampler#sample} on the sampling thread, and
 * can cancel it.
 */
public interface SamplingListener {

    /**
     * A clip's denoising is done; called before the next clip starts. The array and anything
     * computed from it are released when the call returns (computations land on a manager the
     * sampler closes), so decode or copy here.
     *
     * @param clip clip index
     * @param finalLatents {@code [B, C, N, h, w]} denoised latents
     */
    void onClip(int clip, NDArray finalLatents);

    /**
     * After every step (progress).
     *
     * @param clip clip index
     * @param step step index just finished, from 0
     * @param steps steps per clip
     */
    default void onStep(int clip, int step, int steps) {}

    /** @return whether {@link #onStepTrace} should be called (the tensors are kept only then) */
    default boolean wantsTraces() {
        return false;
    }

    /** @param trace the tensors of the step just done, valid only during the call */
    default void onStepTrace(StepTrace trace) {}

    /**
     * Polled before every step; returning {@code true} stops sampling within one step.
     *
     * @return whether to stop
     */
    default boolean cancelled() {
        return false;
    }
}
