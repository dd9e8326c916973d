package io.vidrd.runtime.codec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.NoiseSource;
import io.vidrd.runtime.nn.ScalarOperands;
import java.util.Objects;

/**
 * The diagonal Gaussian an encoder returns (diffusers' {@code DiagonalGaussianDistribution}):
 * mean and log-variance {@code [N, C, h, w]}, the log-variance already clamped to [-30, 20].
 * Immutable; the arrays belong to the manager they were created on.
 */
public final class LatentDistribution {

    /** Lower clamp of the log-variance. */
    public static final float LOGVAR_MIN = -30f;
    /** Upper clamp of the log-variance. */
    public static final float LOGVAR_MAX = 20f;

    private final NDArray mean;
    private final NDArray logvar;

    /**
     * @param mean {@code [N, C, h, w]}
     * @param logvar same shape, clamped to [{@link #LOGVAR_MIN}, {@link #LOGVAR_MAX}]
     */
    public LatentDistribution(NDArray mean, NDArray logvar) {
        this.mean = Objects.requireNonNull(mean, "mean");
        this.logvar = Objects.requireNonNull(logvar, "logvar");
        if (!mean.getShape().equals(logvar.getShape())) {
            throw new IllegalArgumentException("mean " + mean.getShape() + " and logvar " + logvar.getShape()
                    + " must have the same shape");
        }
    }

    /** @return the mean (also the distribution's mode) */
    public NDArray mean() {
        return mean;
    }

    /** @return the clamped log-variance */
    public NDArray logvar() {
        return logvar;
    }

    /** @return {@code exp(0.5 · logvar)}, a new array on the log-variance's manager */
    public NDArray std() {
        NDManager owner = logvar.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray half = ScalarOperands.mul(logvar, 0.5f);
            half.attach(scope);
            NDArray std = half.exp();
            std.attach(owner);
            return std;
        }
    }

    /**
     * Draws {@code mean + std · ε} with one standard-normal draw of the mean's shape from
     * {@code noise} (row-major), as the reference's {@code sample(generator)} does.
     *
     * @param noise the job's noise source (one draw is made)
     * @return an unscaled latent sample, fp32, on the mean's manager
     */
    public NDArray sample(NoiseSource noise) {
        Shape shape = mean.getShape();
        float[] eps = noise.normal(shape.getShape(), 0f, 1f);
        NDManager owner = mean.getManager();
        // temporaries go to a scope closed here; only the sample stays with the caller
        try (NDManager scope = owner.newSubManager()) {
            NDArray host = owner.create(eps, shape);
            host.attach(scope);
            NDArray e = host.toDevice(mean.getDevice(), false);
            e.attach(scope);
            NDArray std = std();
            std.attach(scope);
            return mean.add(std.mul(e.toType(std.getDataType(), false)));
        }
    }
}
