package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma & Ba; PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, no weight decay) over named
 * parameters, updating them in place. Called outside a gradient collector, so the in-place update
 * of a leaf that requires gradients is allowed and not recorded; clears each gradient after use.
 * Moment state is kept per key so it could be checkpointed with the weights.
 */
public final class Adam implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final float learningRate;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private int step;

    /** @param learningRate the step size */
    public Adam(float learningRate) {
        this.learningRate = learningRate;
    }

    /**
     * One update of every parameter from its accumulated gradient.
     *
     * @param params parameters by key (each requires gradients)
     */
    public void step(Map<String, NDArray> params) {
        step++;
        float c1 = 1 - (float) Math.pow(BETA1, step);
        float c2 = 1 - (float) Math.pow(BETA2, step);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            try (NDArray g = p.getGradient()) {
                NDArray m = first.computeIfAbsent(e.getKey(), k -> p.zerosLike());
                NDArray v = second.computeIfAbsent(e.getKey(), k -> p.zerosLike());
                try (NDArray g1 = g.mul(1 - BETA1)) {
                    m.muli(BETA1).addi(g1);
                }
                try (NDArray g2 = g.mul(g).muli(1 - BETA2)) {
                    v.muli(BETA2).addi(g2);
                }
                try (NDArray vhat = v.div(c2);
                        NDArray denom = vhat.sqrt().addi(EPS);
                        NDArray update = m.div(c1).divi(denom).muli(learningRate)) {
                    p.subi(update);
                }
                g.subi(g);
            }
        }
    }

    /** @return updates done so far */
    public int steps() {
        return step;
    }

    @Override
    public void close() {
        first.values().forEach(NDArray::close);
        second.values().forEach(NDArray::close);
        first.clear();
        second.clear();
    }
}
