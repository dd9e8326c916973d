package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** {@code torch.nn.LayerNorm} over the last axis (affine): keys {@code weight [C]}, {@code bias [C]}. */
public final class LayerNorm {

    private final NDArray weight;
    private final NDArray bias;
    private final Shape normalized;
    private final float eps;

    /**
     * @param w view scoped at the norm (e.g. {@code norm1})
     * @param channels size of the last axis
     * @param eps added to the variance
     */
    public LayerNorm(Weights w, int channels, float eps) {
        this.weight = w.take("weight", channels);
        this.bias = w.take("bias", channels);
        this.normalized = new Shape(channels);
        this.eps = eps;
    }

    /**
     * @param x {@code [..., C]}
     * @return same shape, normalised over the last axis
     */
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, normalized, weight, bias, eps).singletonOrThrow();
    }
}
