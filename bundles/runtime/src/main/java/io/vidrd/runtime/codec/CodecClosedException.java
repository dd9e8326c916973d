package io.vidrd.runtime.codec;

/**
 * Thrown by a {@link LatentCodec} whose weights were freed: its service is being unregistered
 * (configuration changed, bundle stopped). Nothing was computed, so a caller holding on to the old
 * codec (a job that started before a reconfiguration) can ask for the one bound now and call again.
 */
public class CodecClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** @param message names the codec */
    public CodecClosedException(String message) {
        super(message);
    }
}
