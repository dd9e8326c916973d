package io.vidrd.engine.sampling;

/** Sampling stopped because its listener asked to; everything the run allocated was released. */
public class SamplingCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int clip;
    private final int step;

    /**
     * @param clip the clip that was being denoised
     * @param step the step that would have run next
     */
    public SamplingCancelledException(int clip, int step) {
        super("sampling cancelled before step " + step + " of clip " + clip);
        this.clip = clip;
        this.step = step;
    }

    /** @return the clip that was being denoised */
    public int clip() {
        return clip;
    }

    /** @return the step that would have run next */
    public int step() {
        return step;
    }
}
