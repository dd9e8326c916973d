package io.vidrd.vae.model;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.nn.Conv2d;
import io.vidrd.runtime.nn.Weights;

/**
 * diffusers' {@code AutoencoderKL} (and VidRD's {@code TemporalAutoencoderKL}, which only changes
 * the decoder): encoder + 1×1 {@code quant_conv}, and 1×1 {@code post_quant_conv} + decoder.
 * Stateless after binding, so one instance serves concurrent calls; temporaries are created on
 * the manager of the input.
 */
public final class AutoencoderKl {

    private final VaeConfig config;
    private final VaeEncoder encoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final VaeDecoder decoder;

    /**
     * @param root view at the state dict's root ({@code encoder.*}, {@code decoder.*}, ...)
     * @param config the configuration
     */
    public AutoencoderKl(Weights root, VaeConfig config) {
        this.config = config;
        int latent = config.latentChannels();
        this.encoder = new VaeEncoder(root.at("encoder"), config);
        this.quantConv = new Conv2d(root.at("quant_conv"), 2 * latent, 2 * latent, 1, 1, 0);
        this.postQuantConv = new Conv2d(root.at("post_quant_conv"), latent, latent, 1, 1, 0);
        this.decoder = new VaeDecoder(root.at("decoder"), config);
    }

    /** @return the configuration */
    public VaeConfig config() {
        return config;
    }

    /**
     * @param x {@code [N, 3, H, W]} in [-1, 1]
     * @return moments {@code [N, 2C, H/s, W/s]}: mean in the first C channels, log-variance
     *     (unclamped) in the last C
     */
    public NDArray encodeMoments(NDArray x) {
        return quantConv.forward(encoder.forward(x));
    }

    /**
     * {@code vae.decode(z, num_frames=clipFrames).sample}.
     *
     * @param z {@code [N, C, h, w]} unscaled latents, frames in {@code (clip, frame)} order
     * @param clipFrames frames per clip seen by the temporal layers (must divide N); 1 makes them
     *     identities, as in the official pipeline; ignored without temporal layers
     * @return {@code [N, 3, h·s, w·s]}, raw (not clamped)
     */
    public NDArray decode(NDArray z, int clipFrames) {
        long n = z.getShape().get(0);
        if (clipFrames < 1 || n % clipFrames != 0) {
            throw new IllegalArgumentException(n + " frames cannot be grouped into clips of " + clipFrames);
        }
        return decoder.forward(postQuantConv.forward(z), clipFrames);
    }
}
