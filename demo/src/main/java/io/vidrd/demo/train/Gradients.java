package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks on the gradients a backward pass left on parameters. */
public final class Gradients {

    private Gradients() {
    }

    /**
     * @param parameters parameters that require gradients, after a backward pass
     * @return the keys whose gradient is zero everywhere (the loss does not reach them)
     */
    public static List<String> unreached(Map<String, NDArray> parameters) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            try (NDArray g = e.getValue().getGradient(); NDArray a = g.abs(); NDArray m = a.max()) {
                if (!(m.getFloat() > 0)) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }
}
