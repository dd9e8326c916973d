package io.vidrd.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives events of one {@link GenerationJob}. Implemented by host applications; every
 * method has a no-op default so a listener overrides only what it needs.
 *
 * <p>Contract for engines: events of one job arrive in order, one at a time, on a thread of
 * the engine (keep them short: a slow listener slows generation). {@code onStarted} may
 * arrive before {@link VideoGenerator#submit} returns. Exactly one of {@code onFinished},
 * {@code onFailed} and {@code onCancelled} ends the sequence. An exception thrown by a
 * listener is logged by the engine and does not fail the job.
 */
@ConsumerType
public interface GenerationListener {

    /**
     * A listener that ignores every event; stateless, so one instance serves everyone.
     *
     * @return the shared no-op listener
     */
    static GenerationListener noop() {
        return NoopListener.INSTANCE;
    }

    /**
     * The job left the queue and the engine started working on it.
     *
     * @param job the job
     */
    default void onStarted(GenerationJob job) {
    }

    /**
     * A denoising step finished.
     *
     * @param progress where the job stands
     */
    default void onProgress(Progress progress) {
    }

    /**
     * A clip was decoded; called once per clip, in clip order, before {@link #onFinished}.
     *
     * @param clip the frames of that clip
     */
    default void onClip(Clip clip) {
    }

    /**
     * Something the user should know that does not stop the job, e.g. a prompt truncated to
     * the text encoder's 77 tokens.
     *
     * @param message a sentence for humans
     */
    default void onWarning(String message) {
    }

    /**
     * The job succeeded.
     *
     * @param video the whole video
     */
    default void onFinished(Video video) {
    }

    /**
     * The job failed.
     *
     * @param error what went wrong
     */
    default void onFailed(GenerationException error) {
    }

    /**
     * The job was cancelled before it finished.
     *
     * @param reason why, e.g. "cancelled by user" or "engine stopped"
     */
    default void onCancelled(String reason) {
    }
}
