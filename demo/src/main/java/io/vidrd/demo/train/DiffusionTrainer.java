package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vidrd.api.GenerationRequest;
import io.vidrd.demo.data.Sample;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.runtime.Torch;
import io.vidrd.vae.model.AutoencoderKl;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One optimiser step of the text encoder and 3-D U-Net of a {@link TrainableDiffusion} with the
 * epsilon objective (DDPM training): clips are encoded by the frozen VAE (a posterior sample times
 * the latent scaling factor), noised to a uniformly drawn timestep of the scheduler's training
 * schedule, {@code x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε}, and the U-Net, conditioned on the encoded caption,
 * predicts ε under a mean-squared error. A share of captions is replaced by an unconditional
 * prompt so that classifier-free guidance works: half of them by the empty prompt, half by the
 * engine's default negative prompt ("watermark"), which plays the unconditional part at generation.
 */
public final class DiffusionTrainer {

    private final TrainableDiffusion model;
    private final AutoencoderKl vae;
    private final float scalingFactor;
    private final ClipTokenizer tokenizer;
    private final float[] alphasCumprod;
    private final double captionDropout;
    private final TimestepSampling timesteps;

    /**
     * @param model the text encoder and U-Net being trained
     * @param vae the frozen VAE, on the model's device
     * @param scalingFactor the VAE's latent scaling factor
     * @param tokenizer the caption tokenizer
     * @param alphasCumprod ᾱ of the training schedule, indexed by timestep
     * @param captionDropout share of captions replaced by an unconditional prompt
     */
    public DiffusionTrainer(TrainableDiffusion model, AutoencoderKl vae, float scalingFactor, ClipTokenizer tokenizer,
            float[] alphasCumprod, double captionDropout) {
        this(model, vae, scalingFactor, tokenizer, alphasCumprod, captionDropout,
                new TimestepSampling(0, alphasCumprod.length - 1, 1));
    }

    /**
     * @param model the text encoder and U-Net being trained
     * @param vae the frozen VAE, on the model's device
     * @param scalingFactor the VAE's latent scaling factor
     * @param tokenizer the caption tokenizer
     * @param alphasCumprod ᾱ of the training schedule, indexed by timestep
     * @param captionDropout share of captions replaced by an unconditional prompt
     * @param timesteps the timesteps drawn and their weights in the loss
     * @throws IllegalArgumentException if the timesteps are beyond the schedule
     */
    public DiffusionTrainer(TrainableDiffusion model, AutoencoderKl vae, float scalingFactor, ClipTokenizer tokenizer,
            float[] alphasCumprod, double captionDropout, TimestepSampling timesteps) {
        this.timesteps = timesteps.within(alphasCumprod.length);
        this.model = model;
        this.vae = vae;
        this.scalingFactor = scalingFactor;
        this.tokenizer = tokenizer;
        this.alphasCumprod = alphasCumprod.clone();
        this.captionDropout = captionDropout;
    }

    /**
     * @param clips the batch (same size and frame count)
     * @param random the step's stream (timesteps, caption dropout, noise)
     * @param optimizer applied to the trainable weights after the backward pass
     * @return the weighted loss and the plain ε-MSE before the update (see {@link #backward})
     */
    public float[] step(List<Sample> clips, SplittableRandom random, Adam optimizer) {
        float[] loss = backward(clips, random);
        optimizer.step(model.trainable());
        return loss;
    }

    /**
     * The forward and backward pass only: gradients accumulate on the trainable weights.
     *
     * @param clips the batch
     * @param random the step's stream
     * @return the loss that was differentiated (ε-MSE per sample, weighted by
     *     {@link TimestepSampling#weight}, weights summing to 1) and the plain ε-MSE (equal when
     *     every weight is 1)
     */
    public float[] backward(List<Sample> clips, SplittableRandom random) {
        int b = clips.size();
        Sample first = clips.get(0);
        int frames = first.frameCount();
        int length = tokenizer.maxLength();
        float[] pixels = new float[b * frames * 3 * first.height() * first.width()];
        long[] ids = new long[b * length];
        long[] steps = new long[b];
        float[] weights = new float[b];
        float[] signal = new float[b];
        float[] noiseScale = new float[b];
        for (int i = 0; i < b; i++) {
            Sample s = clips.get(i);
            float[] x = s.toChwFloats();
            System.arraycopy(x, 0, pixels, i * x.length, x.length);
            String caption = random.nextDouble() < captionDropout
                    ? (random.nextBoolean() ? "" : GenerationRequest.DEFAULT_NEGATIVE_PROMPT) : s.caption();
            int[] tokens = tokenizer.encode(caption).ids();
            for (int k = 0; k < length; k++) {
                ids[i * length + k] = tokens[k];
            }
            int t = timesteps.draw(random);
            steps[i] = t;
            weights[i] = timesteps.weight(alphasCumprod[t]);
            signal[i] = (float) Math.sqrt(alphasCumprod[t]);
            noiseScale[i] = (float) Math.sqrt(1 - alphasCumprod[t]);
        }
        try (NDManager step = Torch.engine().newBaseManager(model.device())) {
            NDArray x0 = latents(step, pixels, new Shape(b * frames, 3, first.height(), first.width()), b, frames, random);
            NDArray noise = step.create(GaussianNoise.draw(random, (int) x0.size()), x0.getShape());
            Shape perSample = new Shape(b, 1, 1, 1, 1);
            NDArray xt = x0.mul(step.create(signal, perSample)).add(noise.mul(step.create(noiseScale, perSample)));
            NDArray t = step.create(steps, new Shape(b));
            float weightSum = 0;
            for (float w : weights) {
                weightSum += w;
            }
            NDArray sampleWeights = step.create(weights, new Shape(b)).div(weightSum);
            NDArray tokenIds = step.create(ids, new Shape(b, length));
            try (GradientCollector gc = Torch.engine().newGradientCollector()) {
                NDArray context = model.text(step).forward(tokenIds);
                NDArray predicted = model.unet(step).forward(xt, t, context);
                NDArray sampleLoss = predicted.sub(noise).square().reshape(b, -1).mean(new int[] {1});
                NDArray loss = sampleLoss.mul(sampleWeights).sum();
                float[] values = {loss.getFloat(), sampleLoss.mean().getFloat()};
                gc.backward(loss);
                return values;
            }
        }
    }

    /** Scaled posterior samples of the frozen VAE, as {@code [B, C, F, h, w]}. */
    private NDArray latents(NDManager step, float[] pixels, Shape shape, int b, int frames, SplittableRandom random) {
        NDArray z = PosteriorSample.draw(vae.encodeMoments(step.create(pixels, shape)), random).z().mul(scalingFactor);
        Shape s = z.getShape();
        return z.reshape(b, frames, s.get(1), s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4);
    }
}
