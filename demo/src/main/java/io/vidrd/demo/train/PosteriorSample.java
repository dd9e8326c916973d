package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.ScalarOperands;
import java.util.SplittableRandom;

/**
 * A draw from an AutoencoderKL encoder's diagonal Gaussian posterior, as diffusers'
 * {@code DiagonalGaussianDistribution.sample} makes it: log-variance clamped to [−30, 20],
 * {@code z = mean + exp(logvar / 2)·ε}, with ε from a seeded host stream.
 *
 * @param mean {@code [N, C, h, w]}
 * @param logvar {@code [N, C, h, w]}, clamped
 * @param z the sample, {@code [N, C, h, w]}
 */
record PosteriorSample(NDArray mean, NDArray logvar, NDArray z) {

    private static final float LOGVAR_MIN = -30f;
    private static final float LOGVAR_MAX = 20f;

    /**
     * @param moments encoder output {@code [N, 2C, h, w]}: mean, then log-variance
     * @param random the noise stream
     * @return the draw (on the moments' manager)
     */
    static PosteriorSample draw(NDArray moments, SplittableRandom random) {
        long c = moments.getShape().get(1) / 2;
        NDArray mean = moments.get(":, 0:" + c);
        NDArray logvar = moments.get(":, " + c + ":").clip(LOGVAR_MIN, LOGVAR_MAX);
        NDArray eps = moments.getManager().create(GaussianNoise.draw(random, (int) mean.size()), mean.getShape());
        return new PosteriorSample(mean, logvar, mean.add(ScalarOperands.mul(logvar, 0.5f).exp().mul(eps)));
    }

    /** @return KL(posterior ‖ N(0, I)), averaged over latent elements */
    NDArray kl() {
        return ScalarOperands.mul(mean.square().add(logvar.exp()).sub(1f).sub(logvar).mean(), 0.5f);
    }
}
