package io.vidrd.runtime.codec;

/**
 * How a decode call is split. Immutable; {@link #defaults()} leaves both choices to the codec.
 *
 * <p>Slicing bounds memory, not results: frames are decoded {@link #sliceFrames()} at a time
 * (each slice's temporaries are freed before the next), and the output equals the unsliced one.
 * A temporal codec rounds slices to whole clips, because its temporal layers must see all
 * {@link #clipFrames()} frames of a clip together.
 */
public final class DecodeOptions {

    private static final DecodeOptions DEFAULTS = new DecodeOptions(0, 0);

    private final int sliceFrames;
    private final int clipFrames;

    private DecodeOptions(int sliceFrames, int clipFrames) {
        if (sliceFrames < 0) {
            throw new IllegalArgumentException("sliceFrames must be >= 0 (0 = the codec's setting), got " + sliceFrames);
        }
        if (clipFrames < 0) {
            throw new IllegalArgumentException("clipFrames must be >= 0 (0 = all frames of a video), got " + clipFrames);
        }
        this.sliceFrames = sliceFrames;
        this.clipFrames = clipFrames;
    }

    /** @return the codec's configured slice size and one clip per video */
    public static DecodeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param frames frames decoded at once; 0 for the codec's configured value
     * @return a copy with that slice size
     */
    public DecodeOptions withSliceFrames(int frames) {
        return new DecodeOptions(frames, clipFrames);
    }

    /**
     * @param frames frames per clip for a temporal codec (must divide the frame count); 0 for all
     *     frames of a video ({@code F} of {@code [B, C, F, h, w]}, or {@code N} of {@code [N, C, h, w]})
     * @return a copy with that clip length
     */
    public DecodeOptions withClipFrames(int frames) {
        return new DecodeOptions(sliceFrames, frames);
    }

    /** @return frames decoded at once, 0 for the codec's configured value */
    public int sliceFrames() {
        return sliceFrames;
    }

    /** @return frames per clip seen together by temporal layers, 0 for a whole video */
    public int clipFrames() {
        return clipFrames;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodeOptions && ((DecodeOptions) o).sliceFrames == sliceFrames
                && ((DecodeOptions) o).clipFrames == clipFrames;
    }

    @Override
    public int hashCode() {
        return 31 * sliceFrames + clipFrames;
    }

    @Override
    public String toString() {
        return "DecodeOptions[sliceFrames=" + sliceFrames + ", clipFrames=" + clipFrames + "]";
    }
}
