package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Element-wise activations; results live on the input's manager. */
public final class Activations {

    private Activations() {}

    /**
     * @param x any shape
     * @return {@code x · sigmoid(x)} (SiLU / swish)
     */
    public static NDArray silu(NDArray x) {
        NDArray gate = Activation.sigmoid(x);
        NDArray out = x.mul(gate);
        gate.close();   // freed now rather than with the caller's scope: a full-size temporary
        return out;
    }

    /**
     * @param x any shape
     * @return the exact (erf) GELU, {@code x/2 · (1 + erf(x/√2))}, PyTorch's default
     */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /**
     * @param x any shape
     * @return the "quick" GELU of OpenAI CLIP, {@code x · sigmoid(1.702 x)}
     */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(Activation.sigmoid(ScalarOperands.mul(x, 1.702f)));
    }
}
