package io.vidrd.runtime.codec;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens latent codecs for a model directory on demand, outside any configuration: for tools that
 * work on a folder given at run time (the golden verifier), where the registered
 * {@link LatentCodec} services, configured for the deployment's model, do not fit. Registered by
 * the VAE bundle; thread-safe.
 */
@ProviderType
public interface LatentCodecFactory {

    /**
     * Loads a VAE strictly (every key and shape checked), like the codec services do.
     *
     * @param kind {@link LatentCodec#KIND_IMAGE}, {@link LatentCodec#KIND_VIDRD} or {@link LatentCodec#KIND_TEMPORAL}
     * @param modelDir root of a model directory in the official VidRD layout
     * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param dtype {@code fp32}, {@code fp16} or {@code bf16}
     * @return a new codec owning its weights; the caller closes it
     * @throws IOException if the VAE's files are missing, unreadable or do not fit its configuration
     * @throws IllegalArgumentException for an unknown kind, device or dtype
     */
    OwnedLatentCodec open(String kind, Path modelDir, String device, String dtype) throws IOException;
}
