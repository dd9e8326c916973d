package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.nn.WeightBinding;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeConfig;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The vae bundle's own {@link AutoencoderKl} over trainable {@link Parameters}: one
 * implementation for inference and training. {@link #bind} builds the model for one step (inside
 * that step's gradient collector, see {@link Parameters} for why per step).
 */
public final class TrainableVae implements AutoCloseable {

    private final byte[] configJson;
    private final VaeConfig config;
    private final StateDict dict;
    private final Parameters parameters;

    private TrainableVae(byte[] configJson, VaeConfig config, StateDict dict, Parameters parameters) {
        this.configJson = configJson;
        this.config = config;
        this.dict = dict;
        this.parameters = parameters;
    }

    /**
     * @param dir a diffusers VAE folder ({@code config.json} and weights)
     * @param manager parent manager (its device is used)
     * @param train which keys to train (e.g. {@link VaeLayout#isTemporal} for the paper's
     *     decoder fine-tuning); the others are frozen
     * @return the model with every parameter read
     * @throws IOException if the folder cannot be read or does not fit its configuration
     */
    public static TrainableVae load(Path dir, NDManager manager, Predicate<String> train) throws IOException {
        VaeFiles files = VaeFiles.in(dir);
        VaeConfig config = VaeConfig.read(files.configFile());
        byte[] configJson = Files.readAllBytes(files.configFile());
        StateDict dict = Checkpoints.open(files.weightsFile());
        Parameters parameters = new Parameters(manager, train);
        TrainableVae vae = new TrainableVae(configJson, config, dict, parameters);
        try (NDManager scratch = manager.newSubManager();
                GradientCollector recording = Torch.engine().newGradientCollector()) {
            vae.bind(scratch);
            return vae;
        } catch (RuntimeException e) {
            vae.close();
            throw e;
        }
    }

    /**
     * Builds the bundle's model on the current parameters. Inside a gradient collector, a loss
     * computed with it back-propagates into {@link #trainable()}.
     *
     * @param step the step's manager (bind-time arrays go there)
     * @return the model, valid while {@code step} is open
     */
    public AutoencoderKl bind(NDManager step) {
        WeightBinding binding = WeightBinding.builder("trainable VAE", step, Precision.FP32).source(dict, "")
                .loader(parameters.loader()).build();
        AutoencoderKl model = new AutoencoderKl(binding.root(), config);
        binding.finish();
        return model;
    }

    /** @return the device the parameters live on */
    public ai.djl.Device device() {
        return parameters.device();
    }

    /** @return the configuration */
    public VaeConfig config() {
        return config;
    }

    /** @return every weight by its state-dict key */
    public Map<String, NDArray> weights() {
        return parameters.all();
    }

    /** @return the weights being trained, by key */
    public Map<String, NDArray> trainable() {
        return parameters.trainable();
    }

    /**
     * Writes the current weights in the official layout ({@code config.json} as it was loaded,
     * {@code diffusion_pytorch_model.safetensors}), which the normal loader reads.
     *
     * @param dir target folder (created if missing)
     * @throws IOException on write failure
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(VaeFiles.CONFIG), configJson);
        parameters.save(dir.resolve(VaeFiles.SAFETENSORS), key -> true);
    }

    @Override
    public void close() {
        parameters.close();
        dict.close();
    }
}
