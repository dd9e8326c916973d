package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers {@code Downsample2D} / VidRD {@code Downsample3D} with a conv: 3×3 conv with stride 2
 * (per frame for video). With padding 1 (U-Net) the conv pads every side; with padding 0 (the VAE
 * encoder) the input is first padded by one zero row at the bottom and one zero column at the
 * right, as diffusers does. Keys {@code conv.{weight [C, C, 3, 3], bias}}.
 */
public final class Downsample {

    private final Conv2d conv;
    private final boolean padRightBottom;

    /**
     * @param w view scoped at the downsampler (e.g. {@code down_blocks.0.downsamplers.0})
     * @param channels C
     * @param padding 1 (symmetric, U-Net) or 0 (pad right/bottom by one, VAE encoder)
     */
    public Downsample(Weights w, int channels, int padding) {
        if (padding != 0 && padding != 1) {
            throw new IllegalArgumentException("downsample padding must be 0 or 1, got " + padding);
        }
        this.conv = new Conv2d(w.at("conv"), channels, channels, 3, 2, padding);
        this.padRightBottom = padding == 0;
    }

    /**
     * @param x {@code [N, C, H, W]} or {@code [B, C, F, H, W]}
     * @return {@code [.., ⌈H/2⌉, ⌈W/2⌉]} (exactly: {@code floor((H + 2p − 3)/2) + 1})
     */
    public NDArray forward(NDArray x) {
        if (!padRightBottom) {
            return conv.forward(x);
        }
        if (x.getShape().dimension() == 5) {
            long frames = x.getShape().get(2);
            return Frames.unfoldFrameMajor(conv.forward(pad(Frames.foldFrameMajor(x))), frames);
        }
        return conv.forward(pad(x));
    }

    private static NDArray pad(NDArray x) {
        Shape s = x.getShape();
        NDArray col = x.getManager().zeros(new Shape(s.get(0), s.get(1), s.get(2), 1), x.getDataType(), x.getDevice());
        NDArray wider = x.concat(col, 3);
        NDArray row = x.getManager().zeros(new Shape(s.get(0), s.get(1), 1, s.get(3) + 1), x.getDataType(), x.getDevice());
        return wider.concat(row, 2);
    }
}
