package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;

/**
 * The diffusers {@code TimestepEmbedding}: {@code linear_2(silu(linear_1(x)))}, keys
 * {@code linear_1.{weight [E, Cin], bias}}, {@code linear_2.{weight [E, E], bias}}.
 */
public final class TimestepEmbedding {

    private final Linear linear1;
    private final Linear linear2;

    /**
     * @param w view scoped at the module (e.g. {@code time_embedding})
     * @param inChannels Cin, width of the sinusoidal projection
     * @param embedDim E
     */
    public TimestepEmbedding(Weights w, int inChannels, int embedDim) {
        this.linear1 = new Linear(w.at("linear_1"), inChannels, embedDim, true);
        this.linear2 = new Linear(w.at("linear_2"), embedDim, embedDim, true);
    }

    /**
     * @param projected {@code [B, Cin]}
     * @return {@code [B, E]}
     */
    public NDArray forward(NDArray projected) {
        return linear2.forward(Activations.silu(linear1.forward(projected)));
    }
}
