package io.vidrd.engine.model;

import java.io.IOException;

/** A model directory lacks a file the official loader needs; the message names the path. */
public class ModelLayoutException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing, with its path */
    public ModelLayoutException(String message) {
        super(message);
    }
}
