package io.vidrd.runtime.golden;

import java.util.Arrays;

/**
 * The comparison of one computed tensor (or one structural check) with the golden folder.
 *
 * @param name golden tensor name
 * @param maxAbs maximum absolute difference (infinite for NaN or a shape mismatch)
 * @param relL2 relative L2 error {@code ‖a − b‖₂ / ‖b‖₂} (0 when both are zero)
 * @param tolerance what the golden folder allows
 * @param passed whether both errors are within tolerance and the shapes agree
 * @param detail empty, or why the check failed beyond the numbers
 */
public record TensorResult(String name, double maxAbs, double relL2, Tolerance tolerance, boolean passed,
        String detail) {

    /**
     * @param name tensor name
     * @param actual computed values
     * @param actualShape their shape
     * @param expected golden values
     * @param expectedShape the golden shape
     * @param tolerance allowed errors
     * @return the comparison
     */
    public static TensorResult compare(String name, double[] actual, long[] actualShape, double[] expected,
            long[] expectedShape, Tolerance tolerance) {
        if (!Arrays.equals(actualShape, expectedShape)) {
            return failed(name, tolerance, "shape " + Arrays.toString(actualShape) + " != golden "
                    + Arrays.toString(expectedShape));
        }
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = actual[i] - expected[i];
            maxAbs = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, Math.abs(d));
            diff2 += d * d;
            ref2 += expected[i] * expected[i];
        }
        double rel = diff2 == 0 ? 0 : Math.sqrt(diff2) / Math.sqrt(ref2);
        boolean ok = tolerance.exact() ? maxAbs == 0 : maxAbs <= tolerance.atol() && rel <= tolerance.relL2();
        return new TensorResult(name, maxAbs, rel, tolerance, ok, "");
    }

    /**
     * @param name what was checked
     * @param tolerance the tolerance it would have had
     * @param why the reason
     * @return a failed check
     */
    public static TensorResult failed(String name, Tolerance tolerance, String why) {
        return new TensorResult(name, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, tolerance, false, why);
    }

    /**
     * @param name what was checked
     * @param ok its outcome
     * @param detail what was found
     * @return an exact, non-numeric check (draw counts and shapes)
     */
    public static TensorResult check(String name, boolean ok, String detail) {
        return new TensorResult(name, ok ? 0 : Double.POSITIVE_INFINITY, ok ? 0 : Double.POSITIVE_INFINITY,
                Tolerance.EXACT, ok, detail);
    }

    @Override
    public String toString() {
        String tol = tolerance.exact() ? "exact" : String.format("atol %.0e, rel %.0e", tolerance.atol(), tolerance.relL2());
        return String.format("%s %-44s max_abs %.3e  rel_l2 %.3e  (%s)%s", passed ? "PASS" : "FAIL", name, maxAbs,
                relL2, tol, detail.isEmpty() ? "" : "  " + detail);
    }
}
