package io.vidrd.ui.jobs;

/** No room for another job now (the engine's queue or the UI's store is full): try later. */
public final class JobsFullException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message why, for the client */
    public JobsFullException(String message) {
        super(message);
    }
}
