package io.vidrd.vae.osgi;

import ai.djl.ndarray.NDArray;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentCodec;
import io.vidrd.runtime.codec.LatentDistribution;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the three codec components share: loading at activation, the one error message when that
 * fails, delegation, and freeing the weights at deactivation. The subclasses only carry the DS
 * annotations of their kind.
 */
abstract class CodecComponent implements LatentCodec {

    private final System.Logger log = System.getLogger(getClass().getName());
    private final VaeLatentCodec codec;

    /**
     * Loads the VAE. On failure logs one error naming the files and keys and throws, so SCR
     * registers nothing for this component.
     *
     * @param kind the codec kind
     * @param config the merged configuration
     * @param version the implementation version for job metadata
     */
    CodecComponent(CodecKind kind, CodecConfig config, String version) {
        try {
            this.codec = open(kind, config, version);
        } catch (IOException | RuntimeException e) {
            String message = "VidRD '" + kind.id() + "' VAE codec not available: " + e.getMessage();
            log.log(System.Logger.Level.ERROR, message);
            throw new IllegalStateException(message, e);
        }
        log.log(System.Logger.Level.INFO, () -> "VidRD '" + kind.id() + "' VAE codec ready: " + codec.description());
    }

    private static VaeLatentCodec open(CodecKind kind, CodecConfig config, String version) throws IOException {
        String dir = config.model_dir();
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("model.dir is not set in the codec's configuration");
        }
        ComputeTarget target = ComputeTarget.parse(config.device(), config.dtype()).requireAvailable();
        VaeFiles files = VaeFiles.in(kind.vaeFolder(Path.of(dir.trim())));
        return VaeLatentCodec.open(kind, files, target, config.slice_frames(), version);
    }

    /** Frees the native weights; called by the subclasses' {@code @Deactivate}. */
    final void close() {
        codec.close();
    }

    @Override
    public final String kind() {
        return codec.kind();
    }

    @Override
    public final String description() {
        return codec.description();
    }

    @Override
    public final Map<String, String> metadata() {
        return codec.metadata();
    }

    @Override
    public final int scaleFactor() {
        return codec.scaleFactor();
    }

    @Override
    public final int latentChannels() {
        return codec.latentChannels();
    }

    @Override
    public final float scalingFactor() {
        return codec.scalingFactor();
    }

    @Override
    public final NDArray decode(NDArray latents, DecodeOptions options) {
        return codec.decode(latents, options);
    }

    @Override
    public final NDArray decodeFrames(NDArray z, DecodeOptions options) {
        return codec.decodeFrames(z, options);
    }

    @Override
    public final LatentDistribution encode(NDArray frames) {
        return codec.encode(frames);
    }
}
