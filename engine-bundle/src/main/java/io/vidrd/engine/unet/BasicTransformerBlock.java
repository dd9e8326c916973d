package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Attention;
import io.vidrd.runtime.nn.GeGlu;
import io.vidrd.runtime.nn.LayerNorm;
import io.vidrd.runtime.nn.Scoped;
import io.vidrd.runtime.nn.Weights;

/**
 * VidRD's {@code BasicTransformerBlock} ({@code transformer_blocks.0}), in this order: spatial
 * self-attention ({@code norm1}, {@code attn1}), cross-attention to the text ({@code norm2},
 * {@code attn2}), the temporal part — frame embedding added to the residual stream, then
 * {@code temp_norm} + {@code temp_attn} across the frames of each spatial position — and the GEGLU
 * feed-forward ({@code norm3}, {@code ff}). With one frame the embedding is still added (the
 * reference adds it in place, so it survives) and the temporal attention is skipped
 * ({@code identity + 0·…}).
 */
final class BasicTransformerBlock {

    private static final float LN_EPS = 1e-5f;

    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm tempNorm;
    private final Attention tempAttn;
    private final LayerNorm norm3;
    private final GeGlu ff;
    private final int channels;
    private final boolean addTempEmbed;

    BasicTransformerBlock(Weights w, int channels, int heads, int contextDim, boolean temporal, boolean addTempEmbed) {
        int headDim = channels / heads;
        this.channels = channels;
        this.norm1 = new LayerNorm(w.at("norm1"), channels, LN_EPS);
        this.attn1 = new Attention(w.at("attn1"), channels, channels, heads, headDim);
        this.norm2 = new LayerNorm(w.at("norm2"), channels, LN_EPS);
        this.attn2 = new Attention(w.at("attn2"), channels, contextDim, heads, headDim);
        this.tempNorm = temporal ? new LayerNorm(w.at("temp_norm"), channels, LN_EPS) : null;
        this.tempAttn = temporal ? new Attention(w.at("temp_attn"), channels, channels, heads, headDim) : null;
        this.norm3 = new LayerNorm(w.at("norm3"), channels, LN_EPS);
        this.ff = new GeGlu(w.at("ff"), channels, 4);
        this.addTempEmbed = addTempEmbed;
    }

    /**
     * @param x {@code [(F·B), T, C]} tokens of every frame (T = H·W), frame-major: row {@code f·B + b}
     * @param context {@code [(F·B), L, D]} text states repeated per frame, same row order
     * @param frames F
     * @param frameEmbedding {@code [F, 1, 1, C]} made once per run ({@link UNetConstants}), or null
     *     when the model adds none
     * @return {@code [(B·F), T, C]}
     */
    NDArray forward(NDArray x, NDArray context, int frames, NDArray frameEmbedding) {
        if (tempAttn != null && addTempEmbed && frameEmbedding == null) {
            throw new IllegalArgumentException("this block adds a frame embedding; none was given");
        }
        return Scoped.run(() -> compute(x, context, frames, frameEmbedding), x, context);
    }

    private NDArray compute(NDArray x, NDArray context, int frames, NDArray frameEmbedding) {
        x = attn1.forward(norm1.forward(x), null).add(x);
        x = attn2.forward(norm2.forward(x), context).add(x);
        if (tempAttn != null) {
            long bf = x.getShape().get(0);
            long tokens = x.getShape().get(1);
            long b = bf / frames;
            NDArray v = x.reshape(frames, b, tokens, channels);
            if (addTempEmbed) {
                v = v.add(frameEmbedding);
                x = v.reshape(bf, tokens, channels);
            }
            if (frames > 1) {
                // [F, B, T, C] -> [(B·T), F, C], row b·T + d as in the reference, and back
                NDArray t = v.transpose(1, 2, 0, 3).reshape(b * tokens, frames, channels);
                t = tempAttn.forward(tempNorm.forward(t), null).add(t);
                x = t.reshape(b, tokens, frames, channels).transpose(2, 0, 1, 3).reshape(bf, tokens, channels);
            }
        }
        return ff.forward(norm3.forward(x)).add(x);
    }
}
