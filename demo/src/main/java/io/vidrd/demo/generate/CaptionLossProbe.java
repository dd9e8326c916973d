package io.vidrd.demo.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.demo.data.BackgroundColor;
import io.vidrd.demo.data.ClipAttributes;
import io.vidrd.demo.data.Motion;
import io.vidrd.demo.data.ObjectColor;
import io.vidrd.demo.data.Sample;
import io.vidrd.demo.data.ShapeKind;
import io.vidrd.demo.data.SyntheticVideos;
import io.vidrd.demo.data.Texture;
import io.vidrd.engine.model.ModelDirectory;
import io.vidrd.engine.model.VidrdModelLoader;
import io.vidrd.engine.model.VidrdModels;
import io.vidrd.engine.schedule.DdimSchedule;
import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.unet.UNetConfig;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeFiles;
import io.vidrd.vae.model.VaeLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Does a model use the caption's motion direction where it matters, on real clips? Synthetic clips
 * moving in the 8 directions are encoded by the model's VAE, noised with one ε per clip, and the
 * U-Net's ε-MSE is measured at several timesteps with the clip's own caption, with the same
 * caption but the opposite direction, and with the empty caption. A model that follows direction
 * scores the true caption lower than the opposite one where the trajectory is not yet visible in
 * the noisy clip; equal columns mean the direction word is ignored (the empty column shows how
 * much the caption as a whole is used).
 *
 * <p>Usage: {@code CaptionLossProbe MODEL_DIR [clips=32]}
 */
public final class CaptionLossProbe {

    /** Timesteps probed, high noise first. */
    static final int[] TIMESTEPS = {990, 900, 800, 700, 500, 300, 100};

    private CaptionLossProbe() {
    }

    /**
     * Mean ε-MSE per timestep and caption.
     *
     * @param trueCaption with the clip's caption
     * @param oppositeDirection with the opposite direction
     * @param emptyCaption with the empty caption
     */
    public record Result(double[] trueCaption, double[] oppositeDirection, double[] emptyCaption) {
    }

    /**
     * @param args the model directory, then optionally the clip count
     * @throws IOException if the model cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CaptionLossProbe MODEL_DIR [clips=32]");
            System.exit(2);
        }
        Result r = probe(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 32);
        System.out.println("| t | true caption | opposite direction | empty caption |");
        System.out.println("| --- | --- | --- | --- |");
        for (int k = 0; k < TIMESTEPS.length; k++) {
            System.out.printf(Locale.ROOT, "| %d | %.5f | %.5f | %.5f |%n", TIMESTEPS[k], r.trueCaption()[k],
                    r.oppositeDirection()[k], r.emptyCaption()[k]);
        }
    }

    /**
     * @param modelDir a model in the official layout, trained on the demo's caption language
     * @param clips clips probed (directions in turn)
     * @return the mean ε-MSE per timestep for each caption
     * @throws IOException if the model cannot be read
     */
    public static Result probe(Path modelDir, int clips) throws IOException {
        ModelDirectory dir = ModelDirectory.of(modelDir);
        ClipTokenizer tokenizer = ClipTokenizer.load(dir.tokenizer());
        float[] alphas = DdimSchedule.load(dir.schedulerConfig()).alphasCumprod();
        double[][] mse = new double[3][TIMESTEPS.length];
        try (NDManager m = Torch.newManager(Device.cpu());
                VidrdModels models = VidrdModelLoader.load(dir, UNetConfig.TemporalFlags.official(), m, Precision.FP32)) {
            AutoencoderKl vae = VaeLoader.load(VaeFiles.in(dir.temporalVae()), m, Precision.FP32);
            int scale = 1 << (vae.config().blockOutChannels().size() - 1);
            int side = 16 * scale;
            int frames = 8;
            SyntheticVideos data = new SyntheticVideos(side, side, frames);
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < clips; i++) {
                Motion direction = ConditioningProbe.DIRECTIONS[i % ConditioningProbe.DIRECTIONS.length];
                ClipAttributes attrs = new ClipAttributes(pick(random, ShapeKind.values()),
                        pick(random, ObjectColor.values()), pick(random, BackgroundColor.values()), Texture.PLAIN,
                        direction);
                Sample clip = data.render(attrs, 0, random.nextLong());
                String opposite = new ClipAttributes(attrs.shape(), attrs.color(), attrs.background(), attrs.texture(),
                        ConditioningProbe.opposite(direction)).caption(0);
                try (NDManager step = m.newSubManager()) {
                    NDArray moments = vae.encodeMoments(step.create(clip.toChwFloats(), new Shape(frames, 3, side, side)));
                    long channels = moments.getShape().get(1) / 2;
                    NDArray z = moments.get(":, 0:" + channels).mul(vae.config().scalingFactor());
                    Shape zs = z.getShape();
                    z = z.reshape(1, frames, zs.get(1), zs.get(2), zs.get(3)).transpose(0, 2, 1, 3, 4);
                    NDArray[] contexts = new NDArray[3];
                    String[] captions = {clip.caption(), opposite, ""};
                    for (int c = 0; c < captions.length; c++) {
                        contexts[c] = ConditioningProbe.encode(models, tokenizer, step, captions[c]);
                    }
                    step.getEngine().setRandomSeed(1000 + i);
                    NDArray noise = step.randomNormal(z.getShape());
                    for (int k = 0; k < TIMESTEPS.length; k++) {
                        int t = TIMESTEPS[k];
                        NDArray xt = z.mul((float) Math.sqrt(alphas[t])).add(noise.mul((float) Math.sqrt(1 - alphas[t])));
                        NDArray timestep = step.create(new long[] {t});
                        for (int c = 0; c < contexts.length; c++) {
                            mse[c][k] += models.unet().forward(xt, timestep, contexts[c]).sub(noise).square().mean()
                                    .getFloat() / clips;
                        }
                    }
                }
            }
        }
        return new Result(mse[0], mse[1], mse[2]);
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
