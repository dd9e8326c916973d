package io.vidrd.api;

/**
 * A generation job did not produce a video: the engine failed (out of memory, missing
 * weights, ...) or the job was cancelled ({@link JobCancelledException}).
 *
 * <p>Checked on purpose: a long-running job failing is an expected outcome that callers
 * must handle, unlike an invalid request, which is a programming error
 * ({@link InvalidRequestException}).
 */
public class GenerationException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message for humans.
     *
     * @param message what went wrong
     */
    public GenerationException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what went wrong
     * @param cause the underlying error, may be {@code null}
     */
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
