package io.vidrd.api;

/** Life cycle of a {@link GenerationJob}: {@code QUEUED → RUNNING →} one terminal state. */
public enum JobStatus {
    /** Accepted, waiting for the engine. */
    QUEUED,
    /** The engine is working on it. */
    RUNNING,
    /** Finished; the video is available from {@link GenerationJob#await()}. */
    SUCCEEDED,
    /** Stopped by an error; see {@link GenerationJob#failureReason()}. */
    FAILED,
    /** Stopped by {@link GenerationJob#cancel()} or by the engine going away. */
    CANCELLED;

    /**
     * Whether the job can no longer change state.
     *
     * @return {@code true} for {@link #SUCCEEDED}, {@link #FAILED} and {@link #CANCELLED}
     */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
