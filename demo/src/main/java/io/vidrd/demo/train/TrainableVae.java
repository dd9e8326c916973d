package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBinding;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeConfig;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The vae bundle's own {@link AutoencoderKl}, bound from a diffusers folder with its weights
 * exposed as trainable parameters: one implementation for inference and training.
 *
 * <p>The binding's {@link WeightBinding.TensorLoader} hook records every loaded array by key and
 * marks the selected ones as requiring gradients before any module sees them; the model is built
 * with autograd recording on, so views that modules derive from their weights at bind time (a
 * GroupNorm's reshaped affine parameters, say) stay connected to the parameters.
 */
public final class TrainableVae implements AutoCloseable {

    private final NDManager manager;
    private final VaeConfig config;
    private final AutoencoderKl model;
    private final Map<String, NDArray> weights;
    private final Map<String, NDArray> trainable;

    private TrainableVae(NDManager manager, VaeConfig config, AutoencoderKl model, Map<String, NDArray> weights,
            Map<String, NDArray> trainable) {
        this.manager = manager;
        this.config = config;
        this.model = model;
        this.weights = weights;
        this.trainable = trainable;
    }

    /**
     * @param dir a diffusers VAE folder ({@code config.json} and weights)
     * @param manager parent manager (its device is used); the model lives in a child manager
     *     that {@link #close()} frees
     * @param train which keys to train (e.g. {@link VaeLayout#isTemporal} for the paper's
     *     decoder fine-tuning); the others are frozen
     * @return the bound model
     * @throws IOException if the folder cannot be read or does not fit its configuration
     */
    public static TrainableVae load(Path dir, NDManager manager, Predicate<String> train) throws IOException {
        VaeFiles files = VaeFiles.in(dir);
        VaeConfig config = VaeConfig.read(files.configFile());
        NDManager own = manager.newSubManager();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        try (StateDict dict = Checkpoints.open(files.weightsFile());
                GradientCollector recording = Torch.engine().newGradientCollector()) {
            WeightBinding binding = WeightBinding.builder("trainable VAE", own, Precision.FP32).source(dict, "")
                    .loader((source, key, m, dataType, reader) -> {
                        NDArray a = reader.read(m);
                        if (train.test(key)) {
                            a.setRequiresGradient(true);
                            trainable.put(key, a);
                        }
                        weights.put(key, a);
                        return a;
                    }).build();
            AutoencoderKl model = new AutoencoderKl(binding.root(), config);
            binding.finish();
            return new TrainableVae(own, config, model, Collections.unmodifiableMap(weights),
                    Collections.unmodifiableMap(trainable));
        } catch (RuntimeException | IOException e) {
            own.close();
            throw e;
        }
    }

    /** @return the bundle's model, bound to the parameters */
    public AutoencoderKl model() {
        return model;
    }

    /** @return the configuration */
    public VaeConfig config() {
        return config;
    }

    /** @return every weight by its state-dict key */
    public Map<String, NDArray> weights() {
        return weights;
    }

    /** @return the weights being trained, by key */
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /**
     * Writes the current weights in the official layout ({@code config.json} copied verbatim,
     * {@code diffusion_pytorch_model.safetensors}), which the normal loader reads.
     *
     * @param source the folder this model was loaded from (for its config)
     * @param dir target folder (created if missing)
     * @throws IOException on write failure
     */
    public void save(Path source, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(source.resolve(VaeFiles.CONFIG), dir.resolve(VaeFiles.CONFIG),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SafetensorsWriter w = new SafetensorsWriter();
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            w.putFloats(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        w.write(dir.resolve(VaeFiles.SAFETENSORS));
    }

    @Override
    public void close() {
        manager.close();
    }
}
