package io.vidrd.api;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes one video file frame by frame, so that long videos can be encoded clip by clip
 * while they are generated. Obtained from {@link VideoEncoder#open}. Not thread-safe.
 *
 * <p>Output is written under a temporary name; {@link #close()} finishes it and only then
 * does the target name appear, so readers never see a half-written file. On any failure
 * call {@link #abort()}: a try-with-resources block alone would publish the partial file.
 * After {@code close} or {@code abort}, further calls of either do nothing and
 * {@code write} throws {@link IllegalStateException}.
 */
@ProviderType
public interface VideoWriter extends AutoCloseable {

    /**
     * Appends one frame.
     *
     * @param frame a frame of the size given to {@link VideoEncoder#open}
     * @throws IllegalArgumentException if the frame size differs
     * @throws IOException if writing fails
     */
    void write(Frame frame) throws IOException;

    /**
     * Appends all frames of a clip, in order.
     *
     * @param clip the clip
     * @throws IOException if writing fails
     */
    default void write(Clip clip) throws IOException {
        for (Frame frame : clip.frames()) {
            write(frame);
        }
    }

    /**
     * Finishes the file and moves it to the target name atomically.
     *
     * @throws IOException if finishing fails; the partial output is then deleted
     */
    @Override
    void close() throws IOException;

    /** Stops writing and deletes the partial output. Never throws, so it is safe in cleanup code. */
    void abort();
}
