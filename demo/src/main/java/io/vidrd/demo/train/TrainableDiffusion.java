package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.text.ClipTextConfig;
import io.vidrd.engine.text.ClipTextEncoder;
import io.vidrd.engine.unet.UNet3D;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The engine's own {@link ClipTextEncoder} and {@link UNet3D}, bound by the engine's
 * {@link VidrdModelLoader} from a model directory in the official layout, over one set of trainable
 * {@link Parameters} (U-Net keys under {@code unet.}, text keys as in the text encoder's file).
 * {@link #text} and {@link #unet} build the modules for one step.
 */
public final class TrainableDiffusion implements AutoCloseable {

    private final UNetConfig unetConfig;
    private final ClipTextConfig textConfig;
    private final StateDict checkpoint;
    private final StateDict textWeights;
    private final Parameters parameters;

    private TrainableDiffusion(UNetConfig unetConfig, ClipTextConfig textConfig, StateDict checkpoint,
            StateDict textWeights, Parameters parameters) {
        this.unetConfig = unetConfig;
        this.textConfig = textConfig;
        this.checkpoint = checkpoint;
        this.textWeights = textWeights;
        this.parameters = parameters;
    }

    /**
     * @param dir the model (its text encoder is read from {@code text_encoder/}, not the checkpoint)
     * @param manager parent manager (its device is used)
     * @param trainText whether the text encoder is trained too (the U-Net always is)
     * @return the model with every parameter read
     * @throws IOException if a file cannot be read or does not fit its configuration
     */
    public static TrainableDiffusion load(ModelDirectory dir, NDManager manager, boolean trainText) throws IOException {
        UNetConfig unet = UNetConfig.read(dir.unetConfig(), UNetConfig.TemporalFlags.official());
        ClipTextConfig text = ClipTextConfig.read(dir.textEncoderConfig());
        StateDict checkpoint = Checkpoints.open(dir.checkpoint());
        StateDict textWeights;
        try {
            textWeights = Checkpoints.open(dir.textEncoderWeights());
        } catch (IOException e) {
            checkpoint.close();
            throw e;
        }
        Parameters parameters = new Parameters(manager,
                key -> trainText || isUNet(key));
        TrainableDiffusion model = new TrainableDiffusion(unet, text, checkpoint, textWeights, parameters);
        try (NDManager scratch = manager.newSubManager();
                GradientCollector recording = Torch.engine().newGradientCollector()) {
            model.text(scratch);
            model.unet(scratch);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * @param step the step's manager
     * @return the engine's text encoder on the current parameters, valid while {@code step} is open
     */
    public ClipTextEncoder text(NDManager step) {
        return VidrdModelLoader.bindTextEncoder(textWeights, "", textConfig, step, Precision.FP32, parameters.loader());
    }

    /**
     * @param step the step's manager
     * @return the engine's U-Net on the current parameters, valid while {@code step} is open
     */
    public UNet3D unet(NDManager step) {
        return VidrdModelLoader.bindUNet(checkpoint, unetConfig, step, Precision.FP32, parameters.loader());
    }

    /** @return the device the parameters live on */
    public ai.djl.Device device() {
        return parameters.device();
    }

    /** @return every parameter by key */
    public Map<String, NDArray> weights() {
        return parameters.all();
    }

    /** @return the trained parameters by key */
    public Map<String, NDArray> trainable() {
        return parameters.trainable();
    }

    /**
     * Writes the current weights into a model directory of the same layout (configurations are
     * not touched): the U-Net to {@code ModelT2V.safetensors}, the text encoder to
     * {@code text_encoder/model.safetensors}.
     *
     * @param root the model directory to write into (its configurations must already be there)
     * @throws IOException on write failure
     */
    public void save(Path root) throws IOException {
        parameters.save(root.resolve(DemoModelWriter.CHECKPOINT), TrainableDiffusion::isUNet);
        saveTextEncoder(root);
    }

    /**
     * Writes the text encoder's current weights only, to {@code text_encoder/model.safetensors}.
     *
     * @param root the model directory to write into
     * @throws IOException on write failure
     */
    public void saveTextEncoder(Path root) throws IOException {
        parameters.save(root.resolve(ModelDirectory.SD_FOLDER).resolve("text_encoder").resolve(DemoModelWriter.TEXT_WEIGHTS),
                key -> !isUNet(key));
    }

    /**
     * @param key a parameter key of this model
     * @return whether it is a U-Net weight (else a text encoder weight)
     */
    static boolean isUNet(String key) {
        return key.startsWith(VidrdModelLoader.UNET_PREFIX);
    }

    @Override
    public void close() {
        parameters.close();
        checkpoint.close();
        textWeights.close();
    }
}
