package io.vidrd.engine.sampling;

/**
 * The numbers that fix one sampling run (VIDRD.md §6.1). Immutable and validated; the names are
 * the paper's, the official pipeline's are given per component.
 *
 * @param framesPerClip N, frames per clip ({@code num_frames})
 * @param clips K, clips generated one after the other ({@code num_generated_clips})
 * @param steps T, DDIM steps per clip ({@code num_inference_steps})
 * @param guidanceScale w; classifier-free guidance runs only when {@code w > 1}
 * @param promptFrames M, frames of a clip started from the previous clip's reversed latents
 *     ({@code extend_overlap_frames}), in {@code [0, N]}
 * @param noiseReuse α, weight of the previous clip's noise in later frames ({@code extend_noise_recycle})
 * @param stagedGuidance β, share of the steps that copy the previous clip's step inputs into the
 *     prompt frames ({@code extend_denoise_guidance})
 * @param initialNoiseAlpha the progressive-noise prior of the first clip ({@code noise_alpha}, official 0)
 * @param latentHeight h, latent rows (pixels / VAE scale factor)
 * @param latentWidth w, latent columns
 * @param batch B, videos sampled together (each prompt's noise depends on its batch position)
 */
public record SamplingPlan(int framesPerClip, int clips, int steps, double guidanceScale, int promptFrames,
        double noiseReuse, double stagedGuidance, double initialNoiseAlpha, int latentHeight, int latentWidth,
        int batch) {

    /** @throws IllegalArgumentException naming the first invalid value */
    public SamplingPlan {
        positive("framesPerClip", framesPerClip);
        positive("clips", clips);
        positive("steps", steps);
        positive("latentHeight", latentHeight);
        positive("latentWidth", latentWidth);
        positive("batch", batch);
        finite("guidanceScale", guidanceScale);
        finite("initialNoiseAlpha", initialNoiseAlpha);
        if (promptFrames < 0 || promptFrames > framesPerClip) {
            throw new IllegalArgumentException("promptFrames must lie in [0, framesPerClip = " + framesPerClip
                    + "], got " + promptFrames);
        }
        if (!(noiseReuse >= 0) || Double.isInfinite(noiseReuse)) {
            throw new IllegalArgumentException("noiseReuse must be finite and >= 0, got " + noiseReuse);
        }
        if (!(stagedGuidance >= 0) || Double.isInfinite(stagedGuidance)) {
            throw new IllegalArgumentException("stagedGuidance must be finite and >= 0, got " + stagedGuidance);
        }
    }

    /**
     * A plan with the pipeline's signature defaults for everything else: no prompt frames, no noise
     * reuse, no staged guidance, initial-noise alpha 0, batch 1.
     *
     * @param framesPerClip N
     * @param clips K
     * @param steps T
     * @param guidanceScale w
     * @param latentHeight h
     * @param latentWidth w
     * @return the plan
     */
    public static SamplingPlan of(int framesPerClip, int clips, int steps, double guidanceScale, int latentHeight,
            int latentWidth) {
        return new SamplingPlan(framesPerClip, clips, steps, guidanceScale, 0, 0, 0, 0, latentHeight, latentWidth, 1);
    }

    /**
     * @param m M, prompt frames
     * @param alpha α, noise reuse
     * @param beta β, staged guidance
     * @return a copy with these long-video settings (official: 4, 4, 0.4)
     */
    public SamplingPlan withLongVideo(int m, double alpha, double beta) {
        return new SamplingPlan(framesPerClip, clips, steps, guidanceScale, m, alpha, beta, initialNoiseAlpha,
                latentHeight, latentWidth, batch);
    }

    /** @param alpha the first clip's progressive-noise prior @return a copy with it */
    public SamplingPlan withInitialNoiseAlpha(double alpha) {
        return new SamplingPlan(framesPerClip, clips, steps, guidanceScale, promptFrames, noiseReuse, stagedGuidance,
                alpha, latentHeight, latentWidth, batch);
    }

    /** @param b the batch size @return a copy with it */
    public SamplingPlan withBatch(int b) {
        return new SamplingPlan(framesPerClip, clips, steps, guidanceScale, promptFrames, noiseReuse, stagedGuidance,
                initialNoiseAlpha, latentHeight, latentWidth, b);
    }

    /** @return whether classifier-free guidance runs (the pipeline's {@code guidance_scale > 1.0}) */
    public boolean guided() {
        return guidanceScale > 1.0;
    }

    /**
     * @param channels latent channels (the U-Net's input channels)
     * @return {@code [B, channels, N, h, w]}
     */
    public long[] latentShape(int channels) {
        return new long[] {batch, channels, framesPerClip, latentHeight, latentWidth};
    }

    /**
     * First frame that past-dependent noise sampling rewrites. The pipeline writes the slice
     * {@code [M − N:]}, which Python reads as all frames both for M = 0 ({@code [−N:]}) and for
     * M = N ({@code [0:]}); in between it starts at M.
     *
     * @return {@code M mod N}
     */
    public int noiseReuseStart() {
        return promptFrames % framesPerClip;
    }

    /**
     * How many leading frames staged guidance replaces before the U-Net call of {@code step} in a
     * clip after the first. Frame j is replaced while {@code step < (M − j)·(T / M)·β}, evaluated
     * in double left to right with a true division, strictly; the threshold falls with j, so the
     * replaced frames are always a prefix.
     *
     * @param step step index i, 0 at the noisiest step
     * @return the number of frames {@code j = 0..n−1} replaced
     */
    public int stagedGuidanceFrames(int step) {
        int n = 0;
        for (int j = 0; j < promptFrames; j++) {
            if (step < (promptFrames - j) * ((double) steps / promptFrames) * stagedGuidance) {
                n = j + 1;
            }
        }
        return n;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    private static void finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }
}
