package io.vidrd.ui.http;

import io.vidrd.api.FieldError;
import java.util.List;

/** Ends a request with a status and a JSON error body; thrown anywhere below a servlet method. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<FieldError> fieldErrors;

    HttpError(int status, String message) {
        this(status, message, List.of());
    }

    HttpError(int status, String message, List<FieldError> fieldErrors) {
        super(message);
        this.status = status;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    int status() {
        return status;
    }

    List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
