package io.vidrd.runtime.codec;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A VAE as the sampler sees it: decodes the latents the U-Net produces into video frames and
 * encodes frames into a latent distribution. Registered as a service with the property
 * {@link #PROP_KIND}; implementations are thread-safe and keep their weights loaded for their
 * whole service lifetime.
 *
 * <p>Every result lives on the {@code NDManager} and device of the input array: pass latents
 * created on a CPU manager to receive CPU pixels while the codec computes on its GPU, slice by
 * slice, so a long video never has all its pixels on the GPU at once.
 *
 * <p>A codec whose service was unregistered (reconfigured, stopped) frees its weights once the
 * calls in flight are done; later calls throw {@link CodecClosedException} without computing
 * anything, and the caller asks for the codec bound now.
 */
@ProviderType
public interface LatentCodec {

    /** Service property naming the codec kind: {@link #KIND_IMAGE}, {@link #KIND_VIDRD} or {@link #KIND_TEMPORAL}. */
    String PROP_KIND = "vidrd.vae.kind";

    /** The plain Stable Diffusion 2.1 VAE, frame by frame. */
    String KIND_IMAGE = "image";
    /**
     * VidRD's fine-tuned decoder exactly as the official pipeline runs it: frame by frame, so its
     * temporal layers are identities. The default: the published numbers were made with it.
     */
    String KIND_VIDRD = "vidrd";
    /** VidRD's fine-tuned decoder with its temporal layers active across the frames of a clip. */
    String KIND_TEMPORAL = "temporal";

    /** Metadata key: the codec kind. */
    String META_KIND = "vidrd.vae.kind";
    /** Metadata key: the weights file that was loaded. */
    String META_WEIGHTS = "vidrd.vae.weights";
    /** Metadata key: the {@code config.json} that was read. */
    String META_CONFIG = "vidrd.vae.config";
    /** Metadata key: the model class named by the configuration ({@code AutoencoderKL}, ...). */
    String META_MODEL_CLASS = "vidrd.vae.class";
    /** Metadata key: the latent scaling factor. */
    String META_SCALING_FACTOR = "vidrd.vae.scaling_factor";
    /** Metadata key: where the codec computes ({@code cpu}, {@code gpu:0}). */
    String META_DEVICE = "vidrd.vae.device";
    /** Metadata key: the weights' precision ({@code fp32}, ...). */
    String META_DTYPE = "vidrd.vae.dtype";
    /** Metadata key: the version of the implementation (bundle version). */
    String META_VERSION = "vidrd.vae.version";

    /** @return {@link #KIND_IMAGE}, {@link #KIND_VIDRD} or {@link #KIND_TEMPORAL} */
    String kind();

    /** @return one line for people: what this codec is and which weights it runs */
    String description();

    /**
     * @return facts to store with every generated video so it can be reproduced: at least the
     *     {@code META_*} keys of this interface (unmodifiable)
     */
    Map<String, String> metadata();

    /** @return pixels per latent cell along H and W (8 for SD 2.1) */
    int scaleFactor();

    /** @return channels of a latent (4 for SD 2.1) */
    int latentChannels();

    /** @return the factor latents are multiplied by after encoding (0.18215 for SD 2.1) */
    float scalingFactor();

    /**
     * The pipeline's {@code decode_latents}: multiplies by {@code fp32(1/scalingFactor)}, folds
     * frames into the batch in {@code (b, f)} order, runs {@code post_quant_conv} and the decoder,
     * unfolds and returns {@code clamp(x/2 + 0.5, 0, 1)}.
     *
     * @param latents {@code [B, C, F, h, w]} as the U-Net produces them (scaled), any float type
     * @param options slicing and clip length
     * @return {@code [B, 3, F, h·s, w·s]} fp32 in [0, 1], on the manager of {@code latents}
     * @throws IllegalArgumentException if the shape does not fit this codec or the options
     */
    NDArray decode(NDArray latents, DecodeOptions options);

    /**
     * The raw decoder, like {@code vae.decode(z).sample}: {@code post_quant_conv} and the decoder,
     * no scaling and no clamping. For {@link #KIND_TEMPORAL} the frames are grouped in runs of
     * {@link DecodeOptions#clipFrames()} (default: all frames one clip), like
     * {@code vae.decode(z, num_frames=N)}.
     *
     * @param z {@code [N, C, h, w]}, already divided by the scaling factor
     * @param options slicing and clip length
     * @return {@code [N, 3, h·s, w·s]} fp32, on the manager of {@code z}
     * @throws IllegalArgumentException if the shape does not fit this codec or the options
     */
    NDArray decodeFrames(NDArray z, DecodeOptions options);

    /**
     * The encoder, {@code quant_conv} and the diagonal Gaussian of {@code vae.encode(x).latent_dist}.
     *
     * @param frames {@code [N, 3, H, W]} in [-1, 1], H and W multiples of {@link #scaleFactor()}
     * @return mean and log-variance (clamped to [-30, 20]), {@code [N, C, H/s, W/s]} fp32, on the
     *     manager of {@code frames}; unscaled (multiply a sample by {@link #scalingFactor()} to get
     *     U-Net latents)
     * @throws IllegalArgumentException if the shape does not fit this codec
     */
    LatentDistribution encode(NDArray frames);
}
