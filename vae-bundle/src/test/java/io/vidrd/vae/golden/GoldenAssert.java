package io.vidrd.vae.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;

/**
 * Compares a result with a golden tensor by maximum absolute error and relative L2 error
 * ({@code ‖a−b‖₂/‖b‖₂}) against the per-tensor tolerances of {@code golden.json} →
 * {@code cuda_vs_cpu}, and prints both.
 */
public final class GoldenAssert {

    private GoldenAssert() {}

    /**
     * @param label printed with the errors (e.g. the weights file)
     * @param name golden tensor name, for its tolerances
     * @param actual computed
     * @param expected golden
     */
    public static void assertClose(String label, String name, NDArray actual, NDArray expected) {
        JsonObject t = GoldenFiles.json().getAsJsonObject("cuda_vs_cpu").getAsJsonObject(name);
        double atol = t.get("suggested_atol").getAsDouble();
        double relTol = t.get("suggested_rel_l2").getAsDouble();
        assertEquals(expected.getShape(), actual.getShape(), name + ": shape");
        float[] a = actual.toFloatArray();
        float[] b = expected.toFloatArray();
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            maxAbs = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, Math.abs(d));
            diff2 += d * d;
            ref2 += (double) b[i] * b[i];
        }
        double rel = Math.sqrt(diff2) / Math.sqrt(ref2);
        System.out.printf("[parity] %-36s %-38s max_abs %.3e (atol %.0e)  rel_l2 %.3e (tol %.0e)%n", name, label,
                maxAbs, atol, rel, relTol);
        assertTrue(maxAbs <= atol, name + " (" + label + "): max abs error " + maxAbs + " > " + atol);
        assertTrue(rel <= relTol, name + " (" + label + "): relative L2 error " + rel + " > " + relTol);
    }
}
