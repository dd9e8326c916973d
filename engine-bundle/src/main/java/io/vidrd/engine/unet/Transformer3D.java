package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.nn.Frames;
import io.vidrd.runtime.nn.GroupNorm;
import io.vidrd.runtime.nn.Linear;
import io.vidrd.runtime.nn.Scoped;
import io.vidrd.runtime.nn.Weights;

/**
 * VidRD's {@code Transformer3DModel} with linear projections ({@code attentions.i}): frames folded
 * into the batch, GroupNorm (eps 1e-6) per frame, tokens {@code [(B·F), H·W, C]}, {@code proj_in},
 * one {@link BasicTransformerBlock}, {@code proj_out}, back to images, plus the input.
 */
final class Transformer3D {

    private static final float NORM_EPS = 1e-6f;

    private final GroupNorm norm;
    private final Linear projIn;
    private final BasicTransformerBlock block;
    private final Linear projOut;

    Transformer3D(Weights w, int channels, int heads, UNetConfig c, boolean temporal) {
        this.norm = new GroupNorm(w.at("norm"), c.normNumGroups(), channels, NORM_EPS);
        this.projIn = new Linear(w.at("proj_in"), channels, channels, true);
        this.block = new BasicTransformerBlock(w.at("transformer_blocks.0"), channels, heads, c.crossAttentionDim(),
                temporal, c.flags().addTempEmbed());
        this.projOut = new Linear(w.at("proj_out"), channels, channels, true);
    }

    /**
     * @param x {@code [B, C, F, H, W]}
     * @param context {@code [B, L, D]}
     * @param k the run's constants (frame embedding)
     * @return {@code [B, C, F, H, W]}
     */
    NDArray forward(NDArray x, NDArray context, UNetConstants k) {
        return Scoped.run(() -> compute(x, context, k), x, context);
    }

    private NDArray compute(NDArray x, NDArray context, UNetConstants k) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        int frames = (int) s.get(2);
        if (k.frames() != frames) {
            throw new IllegalArgumentException("constants for " + k.frames() + " frames used with " + frames);
        }
        long h = s.get(3);
        long w = s.get(4);
        // frames are folded frame-major (row f·B + b): a free view of the per-frame convs' output
        // and a result in the same storage order; each frame is independent except in the
        // temporal attention, which regroups by row explicitly
        NDArray residual = Frames.foldFrameMajor(x);
        Shape cs = context.getShape();
        NDArray ctx = context.expandDims(0).broadcast(new Shape(frames, b, cs.get(1), cs.get(2)))
                .reshape(frames * b, cs.get(1), cs.get(2));
        NDArray tokens = norm.forward(residual).transpose(0, 2, 3, 1).reshape(b * frames, h * w, c);
        tokens = block.forward(projIn.forward(tokens), ctx, frames, k.frameEmbedding((int) c));
        // residual first: the sum takes the residual's storage order (frame-major NCHW), not the
        // channels-last one of the projected tokens; addition commutes, so values are the same
        NDArray out = residual.add(projOut.forward(tokens).reshape(b * frames, h, w, c).transpose(0, 3, 1, 2));
        return Frames.unfoldFrameMajor(out, frames);
    }
}
