package io.vidrd.ui.jobs;

/** What was asked for does not exist (yet, or any more); the message says which. */
public final class NotAvailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why it is not available. */
    public enum Reason {
        /** No such job, clip or format. */
        NOT_FOUND,
        /** The job has not produced it yet. */
        NOT_YET,
        /** It existed but was deleted to keep storage bounded. */
        GONE
    }

    private final Reason reason;

    /**
     * @param reason why
     * @param message for the client
     */
    public NotAvailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @return why it is not available */
    public Reason reason() {
        return reason;
    }
}
