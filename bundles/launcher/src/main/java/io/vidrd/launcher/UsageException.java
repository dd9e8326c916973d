package io.vidrd.launcher;

/** A bad command line or setting: the message says what and what is allowed; exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
