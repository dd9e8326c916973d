package io.vidrd.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A finished video: frames, frame rate and the metadata needed to reproduce it.
 *
 * @param frames all frames in display order; unmodifiable, not empty, all one size
 * @param fps frames per second, finite and positive
 * @param metadata unmodifiable, sorted by key; keys are listed in {@link VideoMetadata}
 */
public record Video(List<Frame> frames, double fps, Map<String, String> metadata) {

    /**
     * Validates and copies, so a video handed to several consumers cannot change.
     *
     * @param frames at least one frame, all of one size; copied
     * @param fps frames per second, finite and positive
     * @param metadata reproduction data; copied
     */
    public Video {
        frames = checkFrames(frames);
        if (!(fps > 0) || !Double.isFinite(fps)) {
            throw new IllegalArgumentException("fps must be finite and > 0, was " + fps);
        }
        metadata = copyMetadata(metadata);
    }

    /**
     * Creates a video; same as the canonical constructor.
     *
     * @param frames at least one frame, all of the same size; copied
     * @param fps frames per second, finite and positive
     * @param metadata reproduction data, see {@link VideoMetadata}; copied
     * @return the video
     * @throws IllegalArgumentException if there are no frames, sizes differ or fps is bad
     */
    public static Video of(List<Frame> frames, double fps, Map<String, String> metadata) {
        return new Video(frames, fps, metadata);
    }

    /**
     * Frame width in pixels.
     *
     * @return the width of every frame
     */
    public int width() {
        return frames.get(0).width();
    }

    /**
     * Frame height in pixels.
     *
     * @return the height of every frame
     */
    public int height() {
        return frames.get(0).height();
    }

    /**
     * Number of frames.
     *
     * @return at least 1
     */
    public int frameCount() {
        return frames.size();
    }

    /**
     * Play time.
     *
     * @return {@code frameCount() / fps()} in seconds
     */
    public double durationSeconds() {
        return frames.size() / fps;
    }

    static List<Frame> checkFrames(List<Frame> frames) {
        List<Frame> copy = List.copyOf(frames); // also rejects null elements
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one frame is needed");
        }
        Frame first = copy.get(0);
        for (int i = 1; i < copy.size(); i++) {
            Frame f = copy.get(i);
            if (f.width() != first.width() || f.height() != first.height()) {
                throw new IllegalArgumentException("frame " + i + " is " + f.width() + "x" + f.height()
                        + " but frame 0 is " + first.width() + "x" + first.height());
            }
        }
        return copy;
    }

    static Map<String, String> copyMetadata(Map<String, String> metadata) {
        // Sorted so that files and logs list the metadata in the same order every time.
        Map<String, String> copy = new TreeMap<>();
        metadata.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "metadata key"),
                Objects.requireNonNull(v, () -> "metadata value of " + k)));
        return Collections.unmodifiableMap(copy);
    }
}
