package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Folding of video tensors {@code [B, C, F, H, W]} into frame batches {@code [(B·F), C, H, W]}
 * with row {@code b·F + f}, the convention of the reference's {@code rearrange(x, "b c f h w ->
 * (b f) c h w")}, and back.
 */
public final class Frames {

    private Frames() {}

    /**
     * @param video {@code [B, C, F, H, W]}
     * @return {@code [(B·F), C, H, W]}
     */
    public static NDArray fold(NDArray video) {
        Shape s = video.getShape();
        requireRank(video, 5);
        return video.transpose(0, 2, 1, 3, 4).reshape(s.get(0) * s.get(2), s.get(1), s.get(3), s.get(4));
    }

    /**
     * @param frames {@code [(B·F), C, H, W]}
     * @param frameCount F
     * @return {@code [B, C, F, H, W]} (a permuted view)
     */
    public static NDArray unfold(NDArray frames, long frameCount) {
        Shape s = frames.getShape();
        requireRank(frames, 4);
        long b = s.get(0) / frameCount;
        return frames.reshape(b, frameCount, s.get(1), s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4);
    }

    /**
     * Frame-major folding, the layout the GPU keeps videos in between per-frame operations: a
     * video whose storage is ordered {@code [F, B, C, H, W]} (what {@link #unfoldFrameMajor} returns)
     * folds into a free view; any other layout is copied once.
     *
     * @param video {@code [B, C, F, H, W]}
     * @return {@code [(F·B), C, H, W]} with row {@code f·B + b}
     */
    public static NDArray foldFrameMajor(NDArray video) {
        Shape s = video.getShape();
        requireRank(video, 5);
        return video.transpose(2, 0, 1, 3, 4).reshape(s.get(0) * s.get(2), s.get(1), s.get(3), s.get(4));
    }

    /**
     * @param frames {@code [(F·B), C, H, W]} with row {@code f·B + b}
     * @param frameCount F
     * @return {@code [B, C, F, H, W]}, a permuted view whose storage stays frame-major
     */
    public static NDArray unfoldFrameMajor(NDArray frames, long frameCount) {
        Shape s = frames.getShape();
        requireRank(frames, 4);
        long b = s.get(0) / frameCount;
        return frames.reshape(frameCount, b, s.get(1), s.get(2), s.get(3)).transpose(1, 2, 0, 3, 4);
    }

    static void requireRank(NDArray x, int rank) {
        if (x.getShape().dimension() != rank) {
            throw new IllegalArgumentException("expected a " + rank + "-D tensor, got " + x.getShape());
        }
    }
}
