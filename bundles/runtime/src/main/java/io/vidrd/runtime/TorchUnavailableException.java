package io.vidrd.runtime;

/** The PyTorch engine or its native libraries are not available in this process. */
public class TorchUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is missing and how to provide it
     * @param cause the failure from DJL
     */
    public TorchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
