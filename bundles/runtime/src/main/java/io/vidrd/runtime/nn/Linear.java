package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;

/** {@code torch.nn.Linear}: keys {@code weight [out, in]} and, if present, {@code bias [out]}. */
public final class Linear {

    private final NDArray weight;
    private final NDArray bias;
    private final int in;
    private final int out;

    /**
     * @param w view scoped at the layer (e.g. {@code proj_in})
     * @param in input features
     * @param out output features
     * @param bias whether the layer has a bias
     */
    public Linear(Weights w, int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        this.weight = w.take("weight", out, in);
        this.bias = bias ? w.take("bias", out) : null;
    }

    /**
     * @param x {@code [..., in]}
     * @return {@code [..., out]} = {@code x Wᵀ + b}
     */
    public NDArray forward(NDArray x) {
        return bias == null
                ? ai.djl.nn.core.Linear.linear(x, weight).singletonOrThrow()
                : ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** @return input features */
    public int in() {
        return in;
    }

    /** @return output features */
    public int out() {
        return out;
    }
}
