package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file could not be read; the message names the file and, where known, the key. */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file being read
     * @param message what is wrong
     */
    public CheckpointException(Path file, String message) {
        super(file + ": " + message);
    }

    /**
     * @param file the file being read
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public CheckpointException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
