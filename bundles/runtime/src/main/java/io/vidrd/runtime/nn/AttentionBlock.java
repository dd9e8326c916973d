package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The diffusers 0.14 {@code AttentionBlock} of the VAE mid block (old key names): keys
 * {@code group_norm.*}, {@code query/key/value/proj_attn.{weight [C, C], bias [C]}}; GroupNorm,
 * self-attention over the H·W positions of each image with scale {@code 1/√(C/heads)}, softmax in
 * fp32, projection, plus the input.
 */
public final class AttentionBlock {

    private final GroupNorm groupNorm;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear projAttn;
    private final int heads;
    private final float scale;
    private final float rescaleOutput;
    private final FusedKernels fused;

    /**
     * @param w view scoped at the block (e.g. {@code decoder.mid_block.attentions.0})
     * @param channels C
     * @param heads number of heads (1 in the SD VAE)
     * @param groups GroupNorm groups
     * @param eps GroupNorm eps (1e-6 in the SD VAE)
     * @param rescaleOutput the output is divided by this (1 in the SD VAE)
     */
    public AttentionBlock(Weights w, int channels, int heads, int groups, float eps, float rescaleOutput) {
        this.groupNorm = new GroupNorm(w.at("group_norm"), groups, channels, eps);
        this.query = new Linear(w.at("query"), channels, channels, true);
        this.key = new Linear(w.at("key"), channels, channels, true);
        this.value = new Linear(w.at("value"), channels, channels, true);
        this.projAttn = new Linear(w.at("proj_attn"), channels, channels, true);
        this.heads = heads;
        this.scale = (float) (1.0 / Math.sqrt((double) channels / heads));
        this.rescaleOutput = rescaleOutput;
        this.fused = w.fusedKernels();
    }

    /**
     * @param x {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}, including the residual
     */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDArray tokens = groupNorm.forward(x).reshape(n, c, s.get(2) * s.get(3)).transpose(0, 2, 1);
        NDArray q = query.forward(tokens);
        NDArray k = key.forward(tokens);
        NDArray v = value.forward(tokens);
        // the fused module runs as inference: a module being trained keeps the explicit path
        NDArray attended = fused != null && FusedKernels.inferenceOnThisThread()
                ? fused.attend(q, k, v, heads, scale)
                : ScaledDotProductAttention.attend(q, k, v, heads, scale, null);
        NDArray out = projAttn.forward(attended).transpose(0, 2, 1).reshape(s).add(x);
        return rescaleOutput == 1f ? out : ScalarOperands.div(out, rescaleOutput);
    }
}
