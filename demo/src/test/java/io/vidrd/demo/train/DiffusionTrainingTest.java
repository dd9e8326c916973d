package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.demo.data.Sample;
import io.vidrd.demo.data.SyntheticVideos;
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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusionTrainingTest {

    private static final DemoModelSpec SPEC = DemoModelSpec.tiny();

    @Test
    void lossFallsEveryWeightGetsAGradientAndTheResultLoadsWithTheEngineLoader(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("model");
        DemoModelWriter.write(dir, SPEC, 11);
        ModelDirectory model = ModelDirectory.of(dir);
        SyntheticVideos data = new SyntheticVideos(SPEC.size(), SPEC.size(), SPEC.frames());
        List<Sample> batch = List.of(data.motionClip(1), data.motionClip(2));
        try (NDManager root = Torch.newManager(Device.cpu());
                TrainableDiffusion diffusion = TrainableDiffusion.load(model, root, true);
                Adam adam = new Adam(1e-3f)) {
            assertEquals(diffusion.weights().size(), diffusion.trainable().size());
            assertTrue(diffusion.weights().keySet().stream().anyMatch(k -> k.startsWith("text_model.")));
            AutoencoderKl vae = VaeLoader.load(VaeFiles.in(dir.resolve("vae_finetuned")), root, Precision.FP32);
            DiffusionTrainer trainer = new DiffusionTrainer(diffusion, vae, 1f,
                    ClipTokenizer.load(model.tokenizer()), DdimSchedule.load(model.schedulerConfig()).alphasCumprod(), 0.0);
            // the same batch, timesteps and noise every step: the loss must fall as the model fits it
            float[] losses = new float[8];
            for (int s = 0; s < losses.length; s++) {
                losses[s] = trainer.step(batch, new SplittableRandom(42), adam)[0];
            }
            System.out.println("U-Net epsilon loss: " + Arrays.toString(losses));
            assertTrue(losses[7] < 0.7f * losses[0], "loss " + losses[0] + " -> " + losses[7]);

            // after one update the zero-initialised temporal outputs pass gradients on
            float[] plain = trainer.backward(batch, new SplittableRandom(43));
            assertEquals(List.of(), Gradients.unreached(diffusion.trainable()));
            assertEquals(plain[1], plain[0], 1e-7f, "every weight 1: the loss is the plain epsilon-MSE");

            // high-noise weighting: the same draws (weights take no randomness), another mix of the samples
            float[] alphas = DdimSchedule.load(model.schedulerConfig()).alphasCumprod();
            ClipTokenizer tokenizer = ClipTokenizer.load(model.tokenizer());
            float[] weighted = new DiffusionTrainer(diffusion, vae, 1f, tokenizer, alphas, 0.0,
                    new TimestepSampling(0, 999, 20)).backward(batch, new SplittableRandom(43));
            assertEquals(plain[1], weighted[1], 1e-6f);
            assertTrue(Math.abs(weighted[0] - weighted[1]) > 1e-4f * weighted[1],
                    "samples at different timesteps weigh differently: " + Arrays.toString(weighted));
            // where every sample reaches the cap, the weights are equal again
            float[] capped = new DiffusionTrainer(diffusion, vae, 1f, tokenizer, alphas, 0.0,
                    new TimestepSampling(950, 999, 20)).backward(batch, new SplittableRandom(43));
            assertEquals(capped[1], capped[0], 1e-6f);

            Path saved = tmp.resolve("saved");
            CheckpointFolder.copyTree(dir, saved);
            diffusion.save(saved);
            try (NDManager check = root.newSubManager()) {
                VidrdModels loaded = VidrdModelLoader.load(ModelDirectory.of(saved), UNetConfig.TemporalFlags.official(),
                        check, Precision.FP32);
                NDArray x = check.randomNormal(new Shape(1, 4, SPEC.frames(), 8, 8));
                NDArray t = check.create(new long[] {500});
                NDArray ids = check.create(new long[SPEC.tokens()], new Shape(1, SPEC.tokens()));
                float[] expected = diffusion.unet(check).forward(x, t, diffusion.text(check).forward(ids)).toFloatArray();
                float[] actual = loaded.unet().forward(x, t, loaded.textEncoder().forward(ids)).toFloatArray();
                assertArrayEquals(expected, actual, 1e-5f);
            }
        }
    }
}
