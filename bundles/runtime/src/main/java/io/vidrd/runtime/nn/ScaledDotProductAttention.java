package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention on projected tokens, the kernel shared by every
 * attention of the models: {@code softmax(q kᵀ · scale + mask) v} per head, heads split
 * head-major from the channel axis (channel {@code h·d + j}).
 */
public final class ScaledDotProductAttention {

    /** Largest score matrix computed at once (bytes); larger batches are split along N. */
    static final long CHUNK_BYTES = 256L << 20;

    private ScaledDotProductAttention() {}

    /**
     * @param q {@code [N, Lq, H·d]} projected queries
     * @param k {@code [N, Lk, H·d]} projected keys
     * @param v {@code [N, Lk, H·d]} projected values
     * @param heads H
     * @param scale factor on the scores (1 when the caller already scaled q)
     * @param mask additive mask broadcastable to {@code [N, H, Lq, Lk]}, or null
     * @return {@code [N, Lq, H·d]}; softmax is computed in fp32 even for reduced-precision inputs
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, float scale, NDArray mask) {
        return attend(q, k, v, heads, scale == 1f ? null : s -> ScalarOperands.mul(s, scale), mask);
    }

    /**
     * Same as {@link #attend(NDArray, NDArray, NDArray, int, float, NDArray)} with the scale given
     * as an array made once (a 0-dim fp32 array multiplies exactly as the float does, without the
     * per-call host copy DJL makes for a Java number on a GPU).
     *
     * @param q {@code [N, Lq, H·d]} projected queries
     * @param k {@code [N, Lk, H·d]} projected keys
     * @param v {@code [N, Lk, H·d]} projected values
     * @param heads H
     * @param scale 0-dim factor on the scores, or null when the caller already scaled q
     * @param mask additive mask broadcastable to {@code [N, H, Lq, Lk]}, or null
     * @return {@code [N, Lq, H·d]}
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray scale, NDArray mask) {
        return attend(q, k, v, heads, scale == null ? null : s -> s.mul(scale), mask);
    }

    private static NDArray attend(NDArray q, NDArray k, NDArray v, int heads,
            java.util.function.UnaryOperator<NDArray> scale, NDArray mask) {
        Shape qs = q.getShape();
        long n = qs.get(0);
        long perRow = heads * qs.get(1) * k.getShape().get(1) * (long) q.getDataType().getNumOfBytes();
        if (mask != null || n < 2 || n * perRow <= CHUNK_BYTES) {
            return attendAll(q, k, v, heads, scale, mask);
        }
        // The score and probability matrices of a whole batch of 1024-token self-attentions take
        // 2 x 640 MiB in fp16 (64 frames x 5 heads); rows are independent, so computing them a few
        // frames at a time gives the same values with a fraction of that peak
        long rows = Math.max(1, CHUNK_BYTES / perRow);
        java.util.List<NDArray> parts = new java.util.ArrayList<>();
        for (long start = 0; start < n; start += rows) {
            String range = start + ":" + Math.min(n, start + rows);
            parts.add(Scoped.run(() -> attendAll(q.get(range), k.get(range), v.get(range), heads, scale, null), q, k, v));
        }
        return NDArrays.concat(new NDList(parts), 0);
    }

    private static NDArray attendAll(NDArray q, NDArray k, NDArray v, int heads,
            java.util.function.UnaryOperator<NDArray> scale, NDArray mask) {
        Shape qs = q.getShape();
        long n = qs.get(0);
        long lq = qs.get(1);
        long inner = qs.get(2);
        long d = inner / heads;
        NDArray qh = splitHeads(q, heads, d);
        NDArray kh = splitHeads(k, heads, d);
        NDArray vh = splitHeads(v, heads, d);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
        if (scale != null) {
            scores = scale.apply(scores);
        }
        if (mask != null) {
            scores = scores.add(mask);
        }
        DataType type = scores.getDataType();
        // CUDA's softmax accumulates in fp32 for fp16/bf16 inputs and rounds once, which is what the
        // explicit upcast computes, without materialising an fp32 copy of the scores
        NDArray probs = type == DataType.FLOAT32 || scores.getDevice().isGpu()
                ? scores.softmax(-1)
                : scores.toType(DataType.FLOAT32, false).softmax(-1).toType(type, false);
        return probs.matMul(vh).transpose(0, 2, 1, 3).reshape(n, lq, inner);
    }

    private static NDArray splitHeads(NDArray x, int heads, long d) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, d).transpose(0, 2, 1, 3);
    }
}
