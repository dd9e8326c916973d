package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * VidRD's {@code TemporalConvLayer}: {@code y = x + S_n(…S_1(x))}, each unit {@code S_j} being
 * GroupNorm over the 5-D tensor (all frames of a video pooled) → SiLU → dropout (inactive) →
 * Conv3d with kernel (3, 1, 1) and zero padding (1, 0, 0) in time. Keys {@code convs.{4j}.*}
 * (GroupNorm) and {@code convs.{4j+3}.{weight [C, C, 3, 1, 1], bias}}. With one frame the
 * reference computes {@code x + 0·(…)}, i.e. returns x; so does this class, without the work.
 * Four units in the U-Net, three in the temporal VAE.
 */
public final class TemporalConv {

    private static final Shape STRIDE = new Shape(1, 1, 1);
    private static final Shape PADDING = new Shape(1, 0, 0);
    private static final Shape DILATION = new Shape(1, 1, 1);

    private final GroupNorm[] norms;
    private final NDArray[] weights;
    private final NDArray[] biases;

    /**
     * @param w view scoped at the layer (e.g. {@code down_blocks.0.temp_convs.1})
     * @param channels C
     * @param units number of GN/SiLU/Dropout/Conv3d units
     * @param groups GroupNorm groups (32 in the reference)
     * @param eps GroupNorm eps (1e-5 in the reference)
     */
    public TemporalConv(Weights w, int channels, int units, int groups, float eps) {
        norms = new GroupNorm[units];
        weights = new NDArray[units];
        biases = new NDArray[units];
        Weights convs = w.at("convs");
        for (int j = 0; j < units; j++) {
            norms[j] = new GroupNorm(convs.at(Integer.toString(4 * j)), groups, channels, eps);
            Weights conv = convs.at(Integer.toString(4 * j + 3));
            weights[j] = conv.take("weight", channels, channels, 3, 1, 1);
            biases[j] = conv.take("bias", channels);
        }
    }

    /**
     * @param x {@code [B, C, F, H, W]}
     * @return {@code [B, C, F, H, W]}; x itself when F = 1
     */
    public NDArray forward(NDArray x) {
        Frames.requireRank(x, 5);
        if (x.getShape().get(2) <= 1) {
            return x;
        }
        return Scoped.run(() -> residual(x), x);
    }

    private NDArray residual(NDArray x) {
        // each unit's intermediates are freed once consumed (values unchanged), not with the scope
        NDArray h = x;
        for (int j = 0; j < norms.length; j++) {
            NDArray a = norms[j].forwardStandardLayoutSilu(h);   // the Conv3d below wants [B, C, F, H, W] storage
            if (h != x) {
                h.close();
            }
            h = a.getNDArrayInternal().convolution(a, weights[j], biases[j], STRIDE, PADDING, DILATION, 1)
                    .singletonOrThrow();
            a.close();
        }
        NDArray out = x.add(h);
        if (h != x) {
            h.close();
        }
        return out;
    }
}
