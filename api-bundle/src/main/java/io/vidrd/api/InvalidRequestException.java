package io.vidrd.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link GenerationRequest} is invalid. Carries every problem found, not just the first,
 * so that a form or a command line can show them all at once.
 */
public class InvalidRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @serial the problems, unmodifiable */
    private final List<FieldError> errors;

    /**
     * Creates the exception.
     *
     * @param errors the problems found; at least one
     * @throws IllegalArgumentException if {@code errors} is empty
     */
    public InvalidRequestException(List<FieldError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    private static String describe(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an InvalidRequestException needs at least one error");
        }
        return errors.stream().map(FieldError::message).collect(Collectors.joining(
                "; ", "Invalid generation request (" + errors.size()
                        + (errors.size() == 1 ? " error): " : " errors): "), ""));
    }

    /**
     * The problems found, in the order the fields are listed in {@link GenerationRequest}.
     *
     * @return an unmodifiable, non-empty list
     */
    public List<FieldError> errors() {
        return errors;
    }
}
