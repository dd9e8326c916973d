package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;

/**
 * The diffusers 0.14 {@code CrossAttention}: keys {@code to_q.weight [H·d, Cq]},
 * {@code to_k.weight [H·d, Cc]}, {@code to_v.weight [H·d, Cc]} (no biases),
 * {@code to_out.0.weight [Cq, H·d]}, {@code to_out.0.bias [Cq]}; scale {@code 1/√d}.
 * Self-attention when no context is given, cross-attention otherwise.
 */
public final class Attention {

    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final int heads;
    // the score scale as a 0-dim fp32 array (CPU), or null when folded into to_q (GPU)
    private final NDArray scale;
    private final FusedKernels fused;

    /**
     * @param w view scoped at the attention (e.g. {@code attn2})
     * @param queryDim Cq, channels of the attending tokens
     * @param contextDim Cc, channels of the context tokens (= Cq for self-attention)
     * @param heads H
     * @param headDim d
     */
    public Attention(Weights w, int queryDim, int contextDim, int heads, int headDim) {
        int inner = heads * headDim;
        Linear q = new Linear(w.at("to_q"), queryDim, inner, false);
        this.toK = new Linear(w.at("to_k"), contextDim, inner, false);
        this.toV = new Linear(w.at("to_v"), contextDim, inner, false);
        this.toOut = new Linear(w.at("to_out.0"), inner, queryDim, true);
        this.heads = heads;
        float factor = (float) (1.0 / Math.sqrt(headDim));
        this.fused = w.fusedKernels();
        if (w.manager().getDevice().isGpu()) {
            // DJL uploads a scalar operand to the GPU with a blocking copy on every call; folded into
            // the weights it costs nothing (for head size 64 the factor 1/8 is a power of two: exact)
            this.toQ = q.rescaled(factor);
            this.scale = null;
        } else {
            // made once: a Java float operand is turned into this same 0-dim array on every call
            this.toQ = q;
            this.scale = ScalarOperands.of(w.manager(), factor);
        }
    }

    /**
     * @param x {@code [N, Lq, Cq]}
     * @param context {@code [N, Lk, Cc]}, or null for self-attention
     * @return {@code [N, Lq, Cq]} (without residual)
     */
    public NDArray forward(NDArray x, NDArray context) {
        NDArray s = context == null ? x : context;
        return Scoped.run(() -> {
            NDArray q = toQ.forward(x);
            NDArray k = toK.forward(s);
            NDArray v = toV.forward(s);
            // the fused module runs as inference, so a module being trained keeps the explicit path;
            // on the GPU the queries carry the scale already
            return toOut.forward(fused != null && FusedKernels.inferenceOnThisThread()
                    ? fused.attend(q, k, v, heads, 1.0)
                    : ScaledDotProductAttention.attend(q, k, v, heads, scale, null));
        }, context == null ? new NDArray[] {x} : new NDArray[] {x, context});
    }
}
