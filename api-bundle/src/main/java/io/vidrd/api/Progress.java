package io.vidrd.api;

import java.util.OptionalLong;

/**
 * How far a job is: denoising step {@code step} of {@code steps} in clip {@code clip} of
 * {@code clips}.
 *
 * @param clip 0-based clip being generated, {@code 0 <= clip < clips}
 * @param clips number of clips in the job, at least 1
 * @param step denoising steps completed in this clip, {@code 0 <= step <= steps}
 * @param steps denoising steps per clip, at least 1
 * @param elapsedMillis time since the job started running, at least 0
 */
public record Progress(int clip, int clips, int step, int steps, long elapsedMillis) {

    /**
     * Checks the ranges so that {@link #fraction()} is always within [0, 1].
     *
     * @param clip 0-based clip being generated
     * @param clips number of clips
     * @param step completed steps in this clip
     * @param steps steps per clip
     * @param elapsedMillis time since the job started running
     */
    public Progress {
        if (clips < 1 || clip < 0 || clip >= clips) {
            throw new IllegalArgumentException("clip " + clip + " of " + clips + " is out of range");
        }
        if (steps < 1 || step < 0 || step > steps) {
            throw new IllegalArgumentException("step " + step + " of " + steps + " is out of range");
        }
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis must be >= 0, was " + elapsedMillis);
        }
    }

    /**
     * Progress of a job that has not started yet.
     *
     * @param clips number of clips
     * @param steps denoising steps per clip
     * @return clip 0, step 0, no time elapsed
     */
    public static Progress initial(int clips, int steps) {
        return new Progress(0, clips, 0, steps, 0);
    }

    /**
     * Share of all denoising steps of the job that are done.
     *
     * @return a value in [0, 1]
     */
    public double fraction() {
        return ((double) clip * steps + step) / ((double) clips * steps);
    }

    /**
     * Estimated time left, assuming every step takes as long as the ones so far.
     *
     * @return the estimate in milliseconds, empty before the first step is done
     */
    public OptionalLong etaMillis() {
        double f = fraction();
        if (f <= 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(elapsedMillis * (1 - f) / f));
    }
}
