package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * Runs a block of array operations on a short-lived sub-manager so that its intermediates are
 * freed as soon as the block returns, not when the caller's (step-long) manager closes.
 *
 * <p>DJL keeps every array alive until its manager closes, while PyTorch frees a tensor as soon
 * as nothing refers to it. Without scopes one U-Net call would hold all its temporaries (tens of
 * attention score matrices) at once; with one scope per module, peak memory is the weights, the
 * skip connections and the largest single module's temporaries, as in the reference. Scoping only
 * changes lifetimes, never values.
 */
public final class Scoped {

    private Scoped() {}

    /**
     * @param body computes the result from {@code inputs} (and weights); every array it creates on
     *     the inputs' managers is freed on return, except the result
     * @param inputs the arrays the body reads; they are lent to the scope and given back unchanged;
     *     the first one's manager receives the result
     * @return the body's result, attached to the first input's manager
     */
    public static NDArray run(Supplier<NDArray> body, NDArray... inputs) {
        NDManager parent = inputs[0].getManager();
        try (NDManager scope = parent.newSubManager()) {
            scope.tempAttachAll(inputs);
            NDArray out = body.get();
            out.attach(parent);
            return out;
        }
    }
}
