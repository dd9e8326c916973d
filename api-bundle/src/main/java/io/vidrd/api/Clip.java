package io.vidrd.api;

import java.util.List;

/**
 * The frames of one generated clip, delivered by {@link GenerationListener#onClip(Clip)} as
 * soon as they are decoded so that long videos can be shown or encoded while the rest is
 * still being generated.
 *
 * @param index 0-based clip number, {@code 0 <= index < GenerationRequest.clips()}
 * @param frames the clip's frames in display order; unmodifiable, not empty, all one size
 * @param firstFrameIndex index of {@code frames.get(0)} in the whole video
 */
public record Clip(int index, List<Frame> frames, int firstFrameIndex) {

    /**
     * Validates and copies the frame list so the clip cannot change afterwards.
     *
     * @param index 0-based clip number
     * @param frames the frames, copied
     * @param firstFrameIndex index of the first frame in the whole video
     */
    public Clip {
        if (index < 0) {
            throw new IllegalArgumentException("clip index must be >= 0, was " + index);
        }
        if (firstFrameIndex < 0) {
            throw new IllegalArgumentException("firstFrameIndex must be >= 0, was " + firstFrameIndex);
        }
        frames = Video.checkFrames(frames);
    }

    /**
     * Creates a clip; same as the canonical constructor.
     *
     * @param index 0-based clip number
     * @param frames the frames, copied
     * @param firstFrameIndex index of the first frame in the whole video
     * @return the clip
     */
    public static Clip of(int index, List<Frame> frames, int firstFrameIndex) {
        return new Clip(index, frames, firstFrameIndex);
    }

    /**
     * Number of frames in this clip.
     *
     * @return at least 1
     */
    public int size() {
        return frames.size();
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
}
