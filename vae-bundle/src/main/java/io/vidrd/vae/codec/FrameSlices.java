package io.vidrd.vae.codec;

/**
 * Splits {@code n} frames into consecutive slices of at most {@code slice} frames that never cut
 * a clip: with clips of {@code clip} frames, a slice holds a whole number of clips (at least one),
 * because temporal layers must see a clip's frames together. Immutable.
 */
final class FrameSlices {

    private final int frames;
    private final int size;

    /**
     * @param frames total frames, a multiple of clip
     * @param slice requested frames per slice (≥ 1)
     * @param clip frames per clip (1 when frames are independent)
     */
    FrameSlices(int frames, int slice, int clip) {
        if (slice < 1 || clip < 1) {
            throw new IllegalArgumentException("slice and clip sizes must be >= 1, got " + slice + " and " + clip);
        }
        if (frames % clip != 0) {
            throw new IllegalArgumentException(frames + " frames cannot be grouped into clips of " + clip + " frames");
        }
        this.frames = frames;
        this.size = Math.max(1, slice / clip) * clip;
    }

    /** @return frames per slice (the last slice may be shorter) */
    int size() {
        return size;
    }

    /** @return number of slices */
    int count() {
        return (frames + size - 1) / size;
    }

    /**
     * @param i slice index
     * @return first frame of slice i
     */
    int start(int i) {
        return i * size;
    }

    /**
     * @param i slice index
     * @return one past the last frame of slice i
     */
    int end(int i) {
        return Math.min(frames, (i + 1) * size);
    }
}
