package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The diffusers {@code FeedForward} with GEGLU activation: keys {@code net.0.proj.{weight [2·I, C],
 * bias}}, {@code net.2.{weight [C, I], bias}} with inner size {@code I = mult·C}. Computes
 * {@code [u | g] = proj(x)}, {@code u · gelu(g)}, then the output Linear (dropout inactive).
 */
public final class GeGlu {

    private final Linear proj;
    private final Linear out;

    /**
     * @param w view scoped at the feed-forward (e.g. {@code ff})
     * @param dim C
     * @param mult inner size factor (4 in diffusers)
     */
    public GeGlu(Weights w, int dim, int mult) {
        int inner = dim * mult;
        this.proj = new Linear(w.at("net.0.proj"), dim, 2 * inner, true);
        this.out = new Linear(w.at("net.2"), inner, dim, true);
    }

    /**
     * @param x {@code [..., C]}
     * @return {@code [..., C]} (without residual)
     */
    public NDArray forward(NDArray x) {
        return Scoped.run(() -> {
            NDArray h = proj.forward(x);
            NDList halves = h.split(2, h.getShape().dimension() - 1);
            NDArray gate = Activations.gelu(halves.get(1));
            if (!FusedKernels.inferenceOnThisThread()) {
                // autograd may keep the gate's input, a view of h: h must not change
                return out.forward(halves.get(0).mul(gate));
            }
            // in place into the first half of the projection, which nothing else reads: at the
            // 32x32 level this saves a 2·16·1024×1280 temporary (84 MiB in fp16)
            NDArray gated = halves.get(0).muli(gate);
            gate.close();
            return out.forward(gated);
        }, x);
    }
}
