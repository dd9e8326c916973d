package io.vidrd.engine.model;

import ai.djl.ndarray.NDManager;
import io.vidrd.engine.text.ClipTextConfig;
import io.vidrd.engine.text.ClipTextEncoder;
import io.vidrd.engine.unet.UNet3D;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBinding;
import io.vidrd.runtime.nn.WeightBindingException;
import java.io.IOException;

/**
 * Loads the text encoder and the U-Net with the official outcome (SDVideoModel.setup):
 *
 * <ul>
 *   <li>U-Net: configuration from SD 2.1 {@code unet/config.json} plus VidRD's temporal flags;
 *       every tensor from the checkpoint's {@code unet.*} keys, strictly (all keys, all shapes,
 *       nothing left over). The SD 2.1 U-Net weights would all be replaced, so they are not read.
 *   <li>Text encoder: configuration from {@code text_encoder/config.json}; if the checkpoint has
 *       any {@code text_encoder.*} key those replace the SD 2.1 weights entirely and must be
 *       complete, else the SD 2.1 {@code text_encoder} weights are used, also strictly.
 * </ul>
 *
 * The constant buffer {@code text_model.embeddings.position_ids} is accepted and ignored. Any
 * mismatch throws {@link WeightBindingException} naming the file and every bad key; weights
 * never load partially. Stateless.
 */
public final class VidrdModelLoader {

    /** Prefix of the U-Net keys in the checkpoint's state dict. */
    public static final String UNET_PREFIX = "unet.";
    /** Prefix of the text-encoder keys in the checkpoint's state dict. */
    public static final String TEXT_ENCODER_PREFIX = "text_encoder.";

    private VidrdModelLoader() {}

    /**
     * @param dir the model files
     * @param flags VidRD's temporal options (normally {@link UNetConfig.TemporalFlags#official()})
     * @param manager parent manager; the weights go into a sub-manager owned by the result
     * @param precision weight precision (fp32 on the CPU)
     * @return text encoder and U-Net
     * @throws IOException if a file is missing or unreadable, or a config is unsupported
     * @throws WeightBindingException if the weights do not match the configurations
     */
    public static VidrdModels load(ModelDirectory dir, UNetConfig.TemporalFlags flags, NDManager manager,
            Precision precision) throws IOException {
        return load(dir, flags, manager, precision, WeightBinding.TensorLoader.DIRECT);
    }

    /**
     * Same as {@link #load(ModelDirectory, UNetConfig.TemporalFlags, NDManager, Precision)} with
     * tensors from {@code loader} (a weight-store lease shares them with other models).
     *
     * @param dir the model files
     * @param flags VidRD's temporal options
     * @param manager parent manager; the weights go into a sub-manager owned by the result
     * @param precision weight precision
     * @param loader where checked tensors come from
     * @return text encoder and U-Net
     * @throws IOException if a file is missing or unreadable, or a config is unsupported
     * @throws WeightBindingException if the weights do not match the configurations
     */
    public static VidrdModels load(ModelDirectory dir, UNetConfig.TemporalFlags flags, NDManager manager,
            Precision precision, WeightBinding.TensorLoader loader) throws IOException {
        UNetConfig unetConfig = UNetConfig.read(dir.unetConfig(), flags);
        ClipTextConfig textConfig = ClipTextConfig.read(dir.textEncoderConfig());
        NDManager weights = manager.newSubManager();
        try (StateDict checkpoint = Checkpoints.open(dir.checkpoint())) {
            UNet3D unet = bindUNet(checkpoint, unetConfig, weights, precision, loader);
            ClipTextEncoder text;
            if (hasPrefix(checkpoint, TEXT_ENCODER_PREFIX)) {
                text = bindTextEncoder(checkpoint, TEXT_ENCODER_PREFIX, textConfig, weights, precision, loader);
            } else {
                try (StateDict sd = Checkpoints.open(dir.textEncoderWeights())) {
                    text = bindTextEncoder(sd, "", textConfig, weights, precision, loader);
                }
            }
            return new VidrdModels(text, unet, weights);
        } catch (IOException | RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /**
     * @param checkpoint a state dict holding {@code unet.*} keys
     * @param config the U-Net configuration
     * @param manager where the weights go
     * @param precision weight precision
     * @return the bound U-Net
     * @throws WeightBindingException listing every missing, unexpected and mis-shaped key
     */
    public static UNet3D bindUNet(StateDict checkpoint, UNetConfig config, NDManager manager, Precision precision) {
        return bindUNet(checkpoint, config, manager, precision, WeightBinding.TensorLoader.DIRECT);
    }

    /**
     * @param checkpoint a state dict holding {@code unet.*} keys
     * @param config the U-Net configuration
     * @param manager where the weights go
     * @param precision weight precision
     * @param loader where checked tensors come from
     * @return the bound U-Net
     * @throws WeightBindingException listing every missing, unexpected and mis-shaped key
     */
    public static UNet3D bindUNet(StateDict checkpoint, UNetConfig config, NDManager manager, Precision precision,
            WeightBinding.TensorLoader loader) {
        if (!hasPrefix(checkpoint, UNET_PREFIX)) {
            throw new WeightBindingException("U-Net: " + checkpoint.source() + " has no '" + UNET_PREFIX
                    + "*' keys; a VidRD checkpoint must hold the whole U-Net", java.util.List.of(checkpoint.source()),
                    java.util.List.of(), java.util.List.of(), java.util.List.of());
        }
        WeightBinding binding = WeightBinding.builder("U-Net", manager, precision).source(checkpoint, UNET_PREFIX).fusedKernels(true)
                .loader(loader).build();
        UNet3D unet = new UNet3D(binding.root(), config);
        binding.finish();
        return unet;
    }

    /**
     * @param dict a state dict with CLIP text-model keys under {@code prefix}
     * @param prefix {@code "text_encoder."} for the checkpoint, {@code ""} for SD 2.1 files
     * @param config the text-encoder configuration
     * @param manager where the weights go
     * @param precision weight precision
     * @return the bound encoder
     * @throws WeightBindingException listing every missing, unexpected and mis-shaped key
     */
    public static ClipTextEncoder bindTextEncoder(StateDict dict, String prefix, ClipTextConfig config, NDManager manager,
            Precision precision) {
        return bindTextEncoder(dict, prefix, config, manager, precision, WeightBinding.TensorLoader.DIRECT);
    }

    /**
     * @param dict a state dict with CLIP text-model keys under {@code prefix}
     * @param prefix {@code "text_encoder."} for the checkpoint, {@code ""} for SD 2.1 files
     * @param config the text-encoder configuration
     * @param manager where the weights go
     * @param precision weight precision
     * @param loader where checked tensors come from
     * @return the bound encoder
     * @throws WeightBindingException listing every missing, unexpected and mis-shaped key
     */
    public static ClipTextEncoder bindTextEncoder(StateDict dict, String prefix, ClipTextConfig config, NDManager manager,
            Precision precision, WeightBinding.TensorLoader loader) {
        WeightBinding binding = WeightBinding.builder("text encoder", manager, precision).source(dict, prefix)
                .ignore("text_model." + ClipTextEncoder.POSITION_IDS, ClipTextEncoder.POSITION_IDS).loader(loader).build();
        ClipTextEncoder encoder = new ClipTextEncoder(ClipTextEncoder.weightsRoot(binding.root()), config);
        binding.finish();
        return encoder;
    }

    private static boolean hasPrefix(StateDict dict, String prefix) {
        for (String k : dict.keys()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
