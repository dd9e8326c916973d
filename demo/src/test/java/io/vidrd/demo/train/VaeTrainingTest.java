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
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import io.vidrd.vae.model.AutoencoderKl;
import io.vidrd.vae.model.VaeFiles;
import io.vidrd.vae.model.VaeLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeTrainingTest {

    private static final Shape BATCH = new Shape(4, 3, 32, 32);

    @Test
    void reconstructionLossFallsAndTrainedWeightsLoadWithTheNormalLoader(@TempDir Path tmp) throws Exception {
        Path init = tmp.resolve("init");
        VaeInit.write(init, List.of(32, 32), 1, 4, 32, false, 1);
        SyntheticVideos data = new SyntheticVideos(32, 32, 4);
        SplittableRandom noise = new SplittableRandom(3);
        try (NDManager root = Torch.newManager(Device.cpu());
                TrainableVae vae = TrainableVae.load(init, root, key -> true);
                Adam adam = new Adam(2e-3f)) {
            assertEquals(vae.weights().size(), vae.trainable().size());
            VaeTrainer trainer = new VaeTrainer(vae, 1, 1e-4f);
            float[] losses = new float[20];
            for (int s = 0; s < losses.length; s++) {
                float[] l = trainer.step(data.motionClip(s % 2).toChwFloats(), BATCH, noise, adam);
                losses[s] = l[1];
                assertTrue(l[2] >= 0, "KL is non-negative: " + l[2]);
            }
            System.out.println("VAE reconstruction loss: " + Arrays.toString(losses));
            float firstTwo = (losses[0] + losses[1]) / 2;
            float lastTwo = (losses[18] + losses[19]) / 2;
            assertTrue(lastTwo < 0.5f * firstTwo, "loss " + firstTwo + " -> " + lastTwo);

            Path trained = tmp.resolve("trained");
            vae.save(trained);
            float[] x = data.motionClip(0).toChwFloats();
            try (NDManager check = root.newSubManager()) {
                AutoencoderKl loaded = VaeLoader.load(VaeFiles.in(trained), check, Precision.FP32);
                AutoencoderKl bound = vae.bind(check);
                float[] expected = decodeMean(bound, check.create(x, BATCH));
                float[] actual = decodeMean(loaded, check.create(x, BATCH));
                assertArrayEquals(expected, actual, 1e-5f);
            }
        }
    }

    @Test
    void everyWeightGetsAGradient(@TempDir Path tmp) throws Exception {
        Path init = tmp.resolve("temporal");
        VaeInit.write(init, List.of(32, 32), 1, 4, 32, true, 4);
        SyntheticVideos data = new SyntheticVideos(32, 32, 4);
        SplittableRandom noise = new SplittableRandom(5);
        try (NDManager root = Torch.newManager(Device.cpu());
                TrainableVae vae = TrainableVae.load(init, root, key -> true);
                Adam adam = new Adam(1e-3f)) {
            VaeTrainer trainer = new VaeTrainer(vae, 4, 1e-4f);
            // the zero-initialised last temporal convs block the gradient of the layers before them
            // until the first update has moved them
            trainer.step(data.motionClip(1).toChwFloats(), BATCH, noise, adam);
            trainer.backward(data.motionClip(2).toChwFloats(), BATCH, noise);
            assertEquals(List.of(), Gradients.unreached(vae.trainable()));
        }
    }

    @Test
    void zeroInitialisedTemporalLayersAreIdentityAndOnlyThemTrain(@TempDir Path tmp) throws Exception {
        Path init = tmp.resolve("temporal");
        VaeInit.write(init, List.of(32, 32), 1, 4, 32, true, 2);
        SyntheticVideos data = new SyntheticVideos(32, 32, 4);
        try (NDManager root = Torch.newManager(Device.cpu());
                TrainableVae vae = TrainableVae.load(init, root, VaeLayout::isTemporal);
                Adam adam = new Adam(1e-3f)) {
            assertTrue(vae.trainable().size() > 0 && vae.trainable().size() < vae.weights().size());
            Sample clip = data.motionClip(5);
            try (NDManager m = root.newSubManager()) {
                AutoencoderKl model = vae.bind(m);
                NDArray z = model.encodeMoments(m.create(clip.toChwFloats(), BATCH)).get(":, 0:4");
                // temporal layers see the 4 frames as one clip, or not at all: identical at init
                assertArrayEquals(model.decode(z, 1).toFloatArray(), model.decode(z, 4).toFloatArray(), 1e-5f);
            }
            Map<String, float[]> before = new HashMap<>();
            vae.weights().forEach((k, v) -> before.put(k, v.toFloatArray()));
            VaeTrainer trainer = new VaeTrainer(vae, 4, 1e-4f);
            SplittableRandom noise = new SplittableRandom(7);
            for (int s = 0; s < 3; s++) {
                trainer.step(clip.toChwFloats(), BATCH, noise, adam);
            }
            int changed = 0;
            for (Map.Entry<String, NDArray> e : vae.weights().entrySet()) {
                boolean same = Arrays.equals(before.get(e.getKey()), e.getValue().toFloatArray());
                if (!VaeLayout.isTemporal(e.getKey())) {
                    assertTrue(same, "frozen weight changed: " + e.getKey());
                } else if (!same) {
                    changed++;
                }
            }
            assertTrue(changed > 0, "no temporal weight changed");
        }
    }

    private static float[] decodeMean(AutoencoderKl model, NDArray x) {
        return model.decode(model.encodeMoments(x).get(":, 0:4"), 1).toFloatArray();
    }
}
