package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.nn.ScalarOperands;
import io.vidrd.vae.model.AutoencoderKl;
import java.util.SplittableRandom;

/**
 * One optimiser step of a {@link TrainableVae} with DJL autograd, as an AutoencoderKL is trained:
 * a latent is sampled from the encoder's posterior (mean + σ·ε), decoded, and the loss is the mean
 * squared reconstruction error plus {@code klWeight} × the posterior's KL divergence from N(0, I)
 * (mean over latent elements). Frames are grouped into clips of {@code clipFrames} so that a
 * temporal decoder sees whole clips. No perceptual or adversarial term: the synthetic frames are
 * flat shapes, for which MSE suffices.
 */
public final class VaeTrainer {

    private final TrainableVae vae;
    private final int clipFrames;
    private final float klWeight;

    /**
     * @param vae the model; only its {@link TrainableVae#trainable()} weights change
     * @param clipFrames frames per clip for the decoder's temporal layers (1: images)
     * @param klWeight weight of the KL term
     */
    public VaeTrainer(TrainableVae vae, int clipFrames, float klWeight) {
        this.vae = vae;
        this.clipFrames = clipFrames;
        this.klWeight = klWeight;
    }

    /**
     * @param frames {@code [N, 3, H, W]} floats in [−1, 1] (N a multiple of clipFrames)
     * @param shape their shape
     * @param noise the posterior-sampling stream
     * @param optimizer applied to the trainable weights after the backward pass
     * @return the losses before the update: total, reconstruction MSE, KL
     */
    public float[] step(float[] frames, Shape shape, SplittableRandom noise, Adam optimizer) {
        float[] losses = backward(frames, shape, noise);
        optimizer.step(vae.trainable());
        return losses;
    }

    /**
     * The forward and backward pass only: gradients accumulate on the trainable weights.
     *
     * @param frames {@code [N, 3, H, W]} floats in [−1, 1]
     * @param shape their shape
     * @param noise the posterior-sampling stream
     * @return total, reconstruction MSE, KL
     */
    public float[] backward(float[] frames, Shape shape, SplittableRandom noise) {
        try (NDManager step = Torch.engine().newBaseManager(vae.device())) {
            NDArray x = step.create(frames, shape);
            try (GradientCollector gc = Torch.engine().newGradientCollector()) {
                AutoencoderKl model = vae.bind(step);
                PosteriorSample posterior = PosteriorSample.draw(model.encodeMoments(x), noise);
                NDArray recon = model.decode(posterior.z(), clipFrames);
                NDArray mse = recon.sub(x).square().mean();
                NDArray kl = posterior.kl();
                NDArray loss = mse.add(ScalarOperands.mul(kl, klWeight));
                float[] losses = {loss.getFloat(), mse.getFloat(), kl.getFloat()};
                gc.backward(loss);
                return losses;
            }
        }
    }
}
