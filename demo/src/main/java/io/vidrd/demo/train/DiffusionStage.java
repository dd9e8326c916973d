package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.demo.data.Sample;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.runtime.Precision;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeFiles;
import io.vidrd.vae.model.VaeLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The U-Net and text-encoder stage: {@link DiffusionTrainer} over the model directory's files. */
final class DiffusionStage implements StageTrainer {

    /** Share of captions replaced by an unconditional prompt (classifier-free guidance). */
    static final double CAPTION_DROPOUT = 0.1;

    private final NDManager vaeManager;
    private final TrainableDiffusion model;
    private final DiffusionTrainer trainer;

    private DiffusionStage(NDManager vaeManager, TrainableDiffusion model, DiffusionTrainer trainer) {
        this.vaeManager = vaeManager;
        this.model = model;
        this.trainer = trainer;
    }

    /**
     * @param root the model directory
     * @param manager parent manager
     * @param scalingFactor the VAE's latent scaling factor
     * @param timesteps the training timesteps and their weights
     * @param trainText whether the text encoder is trained with the U-Net
     * @return the stage
     * @throws IOException if a part cannot be loaded
     */
    static DiffusionStage open(Path root, NDManager manager, double scalingFactor,
            TimestepSampling timesteps, boolean trainText) throws IOException {
        ModelDirectory dir = ModelDirectory.of(root);
        NDManager vaeManager = manager.newSubManager();
        try {
            // the encoder is the same in the image and the temporal VAE
            AutoencoderKl vae = VaeLoader.load(VaeFiles.in(dir.temporalVae()), vaeManager, Precision.FP32);
            TrainableDiffusion model = TrainableDiffusion.load(dir, manager, trainText);
            DiffusionTrainer trainer = new DiffusionTrainer(model, vae, (float) scalingFactor,
                    ClipTokenizer.load(dir.tokenizer()), DdimSchedule.load(dir.schedulerConfig()).alphasCumprod(),
                    CAPTION_DROPOUT, timesteps);
            return new DiffusionStage(vaeManager, model, trainer);
        } catch (IOException | RuntimeException e) {
            vaeManager.close();
            throw e;
        }
    }

    @Override
    public float[] backward(List<Sample> batch, SplittableRandom random) {
        return trainer.backward(batch, random);
    }

    @Override
    public Map<String, NDArray> trainable() {
        return model.trainable();
    }

    @Override
    public void save(Path root) throws IOException {
        model.save(root);
    }

    @Override
    public void close() {
        model.close();
        vaeManager.close();
    }
}
