package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.demo.data.Sample;
import io.vidrd.demo.data.SyntheticVideos;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.runtime.Torch;
import io.vidrd.vae.model.AutoencoderKl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The VAE stages: the image VAE with every weight (frames as images), or the temporal decoder's
 * layers alone on whole clips. Completing the image stage measures the latent scaling factor
 * (1 / standard deviation of posterior samples, the diffusers convention) and starts the temporal
 * VAE from the trained image VAE.
 */
final class VaeStage implements StageTrainer {

    private static final float KL_WEIGHT = 1e-4f;

    private final TrainableVae vae;
    private final VaeTrainer trainer;
    private final Function<Path, Path> folder;
    private final boolean image;
    private final SyntheticVideos data;

    private VaeStage(TrainableVae vae, int clipFrames, Function<Path, Path> folder, boolean image, SyntheticVideos data) {
        this.vae = vae;
        this.data = data;
        this.trainer = new VaeTrainer(vae, clipFrames, KL_WEIGHT);
        this.folder = folder;
        this.image = image;
    }

    /**
     * @param model the model directory
     * @param manager parent manager
     * @param data the clips (a fixed set of them measures the scaling factor)
     * @return the image VAE stage
     * @throws IOException if the VAE cannot be loaded
     */
    static VaeStage image(Path model, NDManager manager, SyntheticVideos data) throws IOException {
        Function<Path, Path> dir = m -> m.resolve(ModelDirectory.SD_FOLDER)
                .resolve(DemoModelWriter.IMAGE_VAE);
        return new VaeStage(TrainableVae.load(dir.apply(model), manager, key -> true), 1, dir, true, data);
    }

    /**
     * @param model the model directory
     * @param manager parent manager
     * @param data the clips (their frame count is the temporal layers' clip length)
     * @return the temporal decoder stage
     * @throws IOException if the VAE cannot be loaded
     */
    static VaeStage temporal(Path model, NDManager manager, SyntheticVideos data) throws IOException {
        Function<Path, Path> dir = m -> m.resolve("vae_finetuned");
        return new VaeStage(TrainableVae.load(dir.apply(model), manager, VaeLayout::isTemporal), data.frames(), dir, false,
                data);
    }

    @Override
    public float[] backward(List<Sample> batch, SplittableRandom random) {
        return trainer.backward(frames(batch), shape(batch), random);
    }

    @Override
    public Map<String, NDArray> trainable() {
        return vae.trainable();
    }

    @Override
    public void save(Path model) throws IOException {
        vae.save(folder.apply(model));
    }

    @Override
    public double complete(Path model) throws IOException {
        save(model);
        if (!image) {
            return 0;
        }
        double factor = 1 / latentStd();
        DemoModelWriter.inflateTemporalVae(model, factor);
        return factor;
    }

    /** Standard deviation of posterior samples over a fixed set of clips. */
    private double latentStd() {
        double sum = 0;
        double squares = 0;
        long n = 0;
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < 16; i++) {
            List<Sample> clips = List.of(data.sample(99, 2L * i), data.sample(99, 2L * i + 1));
            try (NDManager m = Torch.engine().newBaseManager(vae.device())) {
                AutoencoderKl model = vae.bind(m);
                float[] z = PosteriorSample.draw(model.encodeMoments(m.create(frames(clips), shape(clips))), random)
                        .z().toFloatArray();
                for (float v : z) {
                    sum += v;
                    squares += (double) v * v;
                }
                n += z.length;
            }
        }
        double mean = sum / n;
        return Math.sqrt(squares / n - mean * mean);
    }

    private static float[] frames(List<Sample> batch) {
        float[] first = batch.get(0).toChwFloats();
        float[] out = new float[first.length * batch.size()];
        System.arraycopy(first, 0, out, 0, first.length);
        for (int i = 1; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).toChwFloats(), 0, out, i * first.length, first.length);
        }
        return out;
    }

    private static Shape shape(List<Sample> batch) {
        Sample s = batch.get(0);
        return new Shape((long) batch.size() * s.frameCount(), 3, s.height(), s.width());
    }

    @Override
    public void close() {
        vae.close();
    }
}
