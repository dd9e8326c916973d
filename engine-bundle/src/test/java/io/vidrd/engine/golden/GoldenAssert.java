package io.vidrd.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import io.vidrd.runtime.golden.TensorResult;
import io.vidrd.runtime.golden.Tolerance;

/**
 * Compares a result with a golden tensor by maximum absolute error and relative L2 error
 * ({@code ‖a−b‖₂/‖b‖₂}), against the per-tensor tolerances of {@code golden.json} →
 * {@code cuda_vs_cpu} (ten times the float32 noise floor).
 */
public final class GoldenAssert {

    private GoldenAssert() {}

    /**
     * The errors reached.
     *
     * @param maxAbs maximum absolute difference
     * @param relL2 relative L2 error
     */
    public record Errors(double maxAbs, double relL2) {}

    /**
     * @param name golden tensor name (for tolerances and messages)
     * @param actual the computed tensor
     * @param expected the golden tensor
     * @return the errors (also printed)
     */
    public static Errors assertClose(String name, NDArray actual, NDArray expected) {
        JsonObject t = GoldenFiles.json().getAsJsonObject("cuda_vs_cpu").getAsJsonObject(name);
        return assertClose(name, actual, expected, t.get("suggested_atol").getAsDouble(),
                t.get("suggested_rel_l2").getAsDouble());
    }

    /**
     * @param name label for messages
     * @param actual the computed tensor
     * @param expected the reference
     * @param atol maximum absolute error allowed
     * @param relL2 relative L2 error allowed
     * @return the errors (also printed)
     */
    public static Errors assertClose(String name, NDArray actual, NDArray expected, double atol, double relL2) {
        assertEquals(expected.getShape(), actual.getShape(), name + ": shape");
        // the same comparison as the golden runner of vidrd verify-golden
        TensorResult r = TensorResult.compare(name, widen(actual), actual.getShape().getShape(), widen(expected),
                expected.getShape().getShape(), new Tolerance(atol, relL2));
        System.out.printf("[parity] %-40s max_abs %.3e (atol %.0e)  rel_l2 %.3e (tol %.0e)%n", name, r.maxAbs(), atol,
                r.relL2(), relL2);
        assertTrue(r.maxAbs() <= atol, name + ": max abs error " + r.maxAbs() + " > " + atol);
        assertTrue(r.relL2() <= relL2, name + ": relative L2 error " + r.relL2() + " > " + relL2);
        return new Errors(r.maxAbs(), r.relL2());
    }

    private static double[] widen(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
