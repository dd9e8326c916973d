package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers {@code Upsample2D} / VidRD {@code Upsample3D} with a conv: nearest-neighbour
 * enlargement of H and W (×2, or to an explicit size), frames unchanged, then a 3×3 conv (pad 1).
 * Keys {@code conv.{weight [C, C, 3, 3], bias}}.
 */
public final class Upsample {

    private static final int NEAREST = 0;

    private final Conv2d conv;

    /**
     * @param w view scoped at the upsampler (e.g. {@code up_blocks.0.upsamplers.0})
     * @param channels C
     */
    public Upsample(Weights w, int channels) {
        this.conv = new Conv2d(w.at("conv"), channels, channels, 3, 1, 1);
    }

    /**
     * @param x {@code [N, C, H, W]} or {@code [B, C, F, H, W]}
     * @return {@code [.., 2H, 2W]}
     */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        int r = s.dimension();
        return forward(x, s.get(r - 2) * 2, s.get(r - 1) * 2);
    }

    /**
     * @param x {@code [N, C, H, W]} or {@code [B, C, F, H, W]}
     * @param height target height (PyTorch "nearest": source row {@code floor(y·H/height)})
     * @param width target width
     * @return {@code [.., height, width]}
     */
    public NDArray forward(NDArray x, long height, long width) {
        if (x.getShape().dimension() == 5) {
            long frames = x.getShape().get(2);
            return Frames.unfoldFrameMajor(conv.forward(resize(Frames.foldFrameMajor(x), height, width)), frames);
        }
        return conv.forward(resize(x, height, width));
    }

    private static NDArray resize(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, NEAREST, false);
    }
}
