package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vidrd.runtime.Torch;
import java.util.function.IntFunction;

/**
 * Reconstruction training of a {@link TrainableVae} with DJL autograd: the loss is the mean
 * squared error between frames and {@code decode(mean of encode(frames))}, grouped into clips so
 * that a temporal decoder sees whole clips. Deterministic (no posterior sampling, no KL term):
 * this is the proof that gradients flow through the project's blocks and the basis of the
 * decoder's temporal fine-tuning; the full VAE recipe (KL weight, perceptual loss) is future work.
 */
public final class VaeTrainer {

    private VaeTrainer() {
    }

    /**
     * @param vae the model; only its {@link TrainableVae#trainable()} weights change
     * @param batches batch {@code step} as {@code [N, 3, H, W]} floats in [−1, 1] (N a multiple of clipFrames)
     * @param shape the batch shape {@code [N, 3, H, W]}
     * @param clipFrames frames per clip for the decoder's temporal layers (1: images)
     * @param steps optimiser steps
     * @param optimizer the optimiser (its state carries over between calls)
     * @return the loss before each step
     */
    public static float[] train(TrainableVae vae, IntFunction<float[]> batches, Shape shape, int clipFrames,
            int steps, Adam optimizer) {
        float[] losses = new float[steps];
        int latent = vae.config().latentChannels();
        for (int s = 0; s < steps; s++) {
            try (NDManager step = Torch.engine().newBaseManager(managerDevice(vae))) {
                NDArray x = step.create(batches.apply(s), shape);
                try (GradientCollector gc = Torch.engine().newGradientCollector()) {
                    NDArray moments = vae.model().encodeMoments(x);
                    NDArray mean = moments.get(":, 0:" + latent);
                    NDArray recon = vae.model().decode(mean, clipFrames);
                    NDArray loss = recon.sub(x).square().mean();
                    losses[s] = loss.getFloat();
                    gc.backward(loss);
                }
                optimizer.step(vae.trainable());
            }
        }
        return losses;
    }

    private static ai.djl.Device managerDevice(TrainableVae vae) {
        return vae.weights().values().iterator().next().getDevice();
    }
}
