package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention on projected tokens, the kernel shared by every
 * attention of the models: {@code softmax(q kᵀ · scale + mask) v} per head, heads split
 * head-major from the channel axis (channel {@code h·d + j}).
 */
public final class ScaledDotProductAttention {

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
        Shape qs = q.getShape();
        long n = qs.get(0);
        long lq = qs.get(1);
        long inner = qs.get(2);
        long d = inner / heads;
        NDArray qh = splitHeads(q, heads, d);
        NDArray kh = splitHeads(k, heads, d);
        NDArray vh = splitHeads(v, heads, d);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
        if (scale != 1f) {
            scores = scores.mul(scale);
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
