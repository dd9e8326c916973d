package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code torch.nn.Conv2d} with square kernel and symmetric padding; keys {@code weight [out, in,
 * k, k]}, {@code bias [out]}. Applied to a 5-D video it is the reference's {@code InflatedConv3d}:
 * the same 2-D convolution on every frame.
 */
public final class Conv2d {

    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;

    /**
     * @param w view scoped at the conv (e.g. {@code conv_in})
     * @param in input channels
     * @param out output channels
     * @param kernel kernel size
     * @param stride stride
     * @param padding zero padding on every side
     */
    public Conv2d(Weights w, int in, int out, int kernel, int stride, int padding) {
        this.weight = w.take("weight", out, in, kernel, kernel);
        this.bias = w.take("bias", out);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /**
     * @param x {@code [N, in, H, W]} or a video {@code [B, in, F, H, W]}
     * @return {@code [N, out, H', W']} or {@code [B, out, F, H', W']}
     */
    public NDArray forward(NDArray x) {
        if (x.getShape().dimension() == 5) {
            long frames = x.getShape().get(2);
            // frame-major fold: a free view when x is already frame-major (the result of an earlier
            // per-frame op), a single copy otherwise; the result stays frame-major. Each frame is
            // convolved on its own, so the row order changes no value
            NDArray folded = Frames.foldFrameMajor(x);
            NDArray y = conv(folded);
            folded.close();   // a full-size copy when x was not frame-major: free it before the caller goes on
            return Frames.unfoldFrameMajor(y, frames);
        }
        return conv(x);
    }

    private NDArray conv(NDArray x) {
        return x.getNDArrayInternal().convolution(x, weight, bias, stride, padding, new Shape(1, 1), 1)
                .singletonOrThrow();
    }
}
