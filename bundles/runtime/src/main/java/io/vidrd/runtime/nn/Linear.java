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

    private Linear(NDArray weight, NDArray bias, int in, int out) {
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /**
     * Consumes this layer: its arrays are freed and must not be used afterwards.
     *
     * @param factor multiplies the output
     * @return this layer with weight and bias multiplied by {@code factor} (new arrays on the weights' manager)
     */
    public Linear rescaled(float factor) {
        Linear scaled = new Linear(ScalarOperands.mul(weight, factor),
                bias == null ? null : ScalarOperands.mul(bias, factor), in, out);
        weight.close();
        if (bias != null) {
            bias.close();
        }
        return scaled;
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
