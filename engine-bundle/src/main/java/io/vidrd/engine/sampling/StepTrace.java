package io.vidrd.engine.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The tensors of one denoising step, for parity checks and debugging. Every array is only valid
 * during {@link SamplingListener#onStepTrace}; copy what must outlive the call.
 *
 * @param clip clip index
 * @param step step index from 0
 * @param timestep the DDIM timestep of the step
 * @param latentsIn the U-Net input, after staged guidance replaced frames
 * @param epsUncond unconditional noise prediction, or {@code null} without guidance
 * @param epsText text-conditioned noise prediction
 * @param latentsOut the latents after the DDIM step
 */
public record StepTrace(int clip, int step, int timestep, NDArray latentsIn, NDArray epsUncond, NDArray epsText,
        NDArray latentsOut) {}
