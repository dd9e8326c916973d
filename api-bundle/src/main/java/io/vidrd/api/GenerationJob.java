package io.vidrd.api;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A submitted generation: its state, progress and eventually its video. Thread-safe.
 * Implemented by engines, not by callers.
 */
@ProviderType
public interface GenerationJob {

    /**
     * Identifier of the job, unique within the engine's lifetime.
     *
     * @return the id, e.g. for logs and URLs
     */
    String id();

    /**
     * The request this job works on.
     *
     * @return the request as submitted
     */
    GenerationRequest request();

    /**
     * Current state.
     *
     * @return the state at the time of the call
     */
    JobStatus status();

    /**
     * Latest progress.
     *
     * @return {@link Progress#initial(int, int)} while queued, the last reported step after that
     */
    Progress progress();

    /**
     * Asks the engine to stop. A running job stops at the next denoising step; waiting
     * callers get a {@link JobCancelledException}.
     *
     * @return {@code true} if this call cancelled the job, {@code false} if it had already
     *     ended or been cancelled
     */
    boolean cancel();

    /**
     * Waits for the video.
     *
     * @return the video
     * @throws JobCancelledException if the job was cancelled, carrying the reason
     * @throws GenerationException if the job failed
     * @throws InterruptedException if the waiting thread was interrupted; the job goes on
     */
    Video await() throws GenerationException, InterruptedException;

    /**
     * Waits at most the given time for the video.
     *
     * @param timeout how long to wait
     * @param unit unit of {@code timeout}
     * @return the video, or empty if the job is still queued or running after the timeout
     * @throws JobCancelledException if the job was cancelled, carrying the reason
     * @throws GenerationException if the job failed
     * @throws InterruptedException if the waiting thread was interrupted; the job goes on
     */
    Optional<Video> await(long timeout, TimeUnit unit) throws GenerationException, InterruptedException;

    /**
     * Why the job did not produce a video.
     *
     * @return the error message when {@link JobStatus#FAILED}, the reason when
     *     {@link JobStatus#CANCELLED}, otherwise empty
     */
    Optional<String> failureReason();

    /**
     * The video, without waiting.
     *
     * @return the video if the job has {@link JobStatus#SUCCEEDED}, otherwise empty
     */
    default Optional<Video> result() {
        if (status() != JobStatus.SUCCEEDED) {
            return Optional.empty();
        }
        try {
            return await(0, TimeUnit.NANOSECONDS);
        } catch (GenerationException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            // Not ours to swallow: restore the flag for the caller's own blocking calls.
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
