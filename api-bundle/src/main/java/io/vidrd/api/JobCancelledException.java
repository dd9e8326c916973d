package io.vidrd.api;

import java.util.Objects;

/** Thrown by {@link GenerationJob#await()} when the job was cancelled instead of finishing. */
public class JobCancelledException extends GenerationException {
    private static final long serialVersionUID = 1L;

    /** @serial why the job was cancelled */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param reason why the job was cancelled, e.g. "cancelled by user" or "engine stopped"
     */
    public JobCancelledException(String reason) {
        super("Generation job cancelled: " + Objects.requireNonNull(reason, "reason"));
        this.reason = reason;
    }

    /**
     * Why the job was cancelled.
     *
     * @return the reason given when cancelling, never {@code null}
     */
    public String reason() {
        return reason;
    }
}
