package io.vidrd.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.nn.Attention;
import io.vidrd.runtime.nn.GeGlu;
import io.vidrd.runtime.nn.LayerNorm;
import io.vidrd.runtime.nn.Scoped;
import io.vidrd.runtime.nn.TemporalPositionEmbedding;
import io.vidrd.runtime.nn.Weights;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final NDManager weightManager;
    // GPU only: the frame embedding [1, F, 1, C] per (F, dtype), made once on the weights' device;
    // building it per call would upload it from the host (a blocking copy) in every block of every
    // step. On the CPU the upload is a plain copy and the weights' manager stays free of temporaries.
    private final Map<String, NDArray> positionTables = new ConcurrentHashMap<>();

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
        this.weightManager = w.manager();
    }

    /**
     * @param x {@code [(B·F), T, C]} tokens of every frame (T = H·W), row {@code b·F + f}
     * @param context {@code [(B·F), L, D]} text states repeated per frame
     * @param frames F
     * @return {@code [(B·F), T, C]}
     */
    NDArray forward(NDArray x, NDArray context, int frames) {
        return Scoped.run(() -> compute(x, context, frames), x, context);
    }

    private NDArray positionTable(int frames, DataType type) {
        return positionTables.computeIfAbsent(frames + "/" + type, k -> {
            try (NDManager tmp = weightManager.newSubManager()) {
                // duplicate: a view would share the host buffer that closing tmp releases
                NDArray table = TemporalPositionEmbedding.table(tmp, frames, channels, type).reshape(1, frames, 1, channels)
                        .duplicate();
                table.attach(weightManager);
                return table;
            }
        });
    }

    private NDArray compute(NDArray x, NDArray context, int frames) {
        x = attn1.forward(norm1.forward(x), null).add(x);
        x = attn2.forward(norm2.forward(x), context).add(x);
        if (tempAttn != null) {
            long bf = x.getShape().get(0);
            long tokens = x.getShape().get(1);
            long b = bf / frames;
            NDArray v = x.reshape(b, frames, tokens, channels);
            if (addTempEmbed) {
                NDArray pe = x.getDevice().isGpu() ? positionTable(frames, x.getDataType())
                        : TemporalPositionEmbedding.table(x.getManager(), frames, channels, x.getDataType())
                                .reshape(1, frames, 1, channels);
                v = v.add(pe);
                x = v.reshape(bf, tokens, channels);
            }
            if (frames > 1) {
                NDArray t = v.transpose(0, 2, 1, 3).reshape(b * tokens, frames, channels);
                t = tempAttn.forward(tempNorm.forward(t), null).add(t);
                x = t.reshape(b, tokens, frames, channels).transpose(0, 2, 1, 3).reshape(bf, tokens, channels);
            }
        }
        return ff.forward(norm3.forward(x)).add(x);
    }
}
