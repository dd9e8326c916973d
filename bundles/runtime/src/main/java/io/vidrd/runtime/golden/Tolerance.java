package io.vidrd.runtime.golden;

/**
 * Allowed deviation of one tensor: maximum absolute error and relative L2 error
 * {@code ‖a − b‖₂ / ‖b‖₂}. Both zero means the values must be identical (token ids, timesteps).
 *
 * @param atol maximum absolute error allowed
 * @param relL2 relative L2 error allowed
 */
public record Tolerance(double atol, double relL2) {

    /** Identical values required. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    /** @throws IllegalArgumentException for negative or NaN bounds */
    public Tolerance {
        if (!(atol >= 0) || !(relL2 >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got atol " + atol + ", rel " + relL2);
        }
    }

    /** @return whether identical values are required */
    public boolean exact() {
        return atol == 0 && relL2 == 0;
    }
}
