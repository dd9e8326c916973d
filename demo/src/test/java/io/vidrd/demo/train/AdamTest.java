package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.checkpoint.BFloat16;
import io.vidrd.runtime.nn.ScalarOperands;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamTest {

    private static final float[] START = {0.5f, -1.25f, 2f, 0f};
    /** Gradients of sum(c·w²/2) are c·w: they change with the weights, so moments matter. */
    private static final float[] C = {1f, -3f, 0.25f, 2f};

    @Test
    void matchesTheTextbookUpdateAndResumesFromItsSavedState(@TempDir Path tmp) throws Exception {
        double[] expected = reference(5, 0.1, 0, 3);
        float[] actual = trainAcrossASave(tmp, 0, 3, 2);
        for (int i = 0; i < START.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "element " + i);
        }
    }

    @Test
    void warmUpRampsTheStepSizeAndResumesPastTheRamp(@TempDir Path tmp) throws Exception {
        double[] expected = reference(6, 0.1, 4, 2);
        float[] actual = trainAcrossASave(tmp, 4, 2, 4);
        double[] unramped = reference(6, 0.1, 0, 2);
        for (int i = 0; i < START.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "element " + i);
        }
        assertTrue(Math.abs(unramped[0] - actual[0]) > 1e-3, "the ramp changes the result");
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1f, -1));
    }

    /**
     * Trains the weights from {@link #START} with lr 0.1 for {@code before} updates, saves the
     * optimiser, restores it into a new one and trains {@code after} more updates.
     *
     * @return the weights at the end
     */
    private static float[] trainAcrossASave(Path tmp, int warmup, int before, int after) throws Exception {
        Path saved = tmp.resolve("adam.safetensors");
        try (NDManager m = Torch.newManager(Device.cpu())) {
            NDArray w = m.create(START.clone());
            w.setRequiresGradient(true);
            Map<String, NDArray> params = Map.of("w", w);
            try (Adam adam = new Adam(0.1f, warmup)) {
                steps(m, w, adam, before);
                adam.save(saved);
            }
            try (Adam resumed = new Adam(0.1f, warmup)) {
                resumed.restore(saved, params);
                assertEquals(before, resumed.steps());
                steps(m, w, resumed, after);
            }
            assertArrayEquals(new float[4], w.getGradient().toFloatArray(), "gradient cleared after the step");
            return w.toFloatArray();
        }
    }

    private static void steps(NDManager m, NDArray w, Adam adam, int count) {
        for (int s = 0; s < count; s++) {
            backward(m, w);
            adam.step(Map.of("w", w));
        }
    }

    private static void backward(NDManager m, NDArray w) {
        try (GradientCollector gc = Torch.engine().newGradientCollector()) {
            gc.backward(ScalarOperands.mul(w.square().mul(m.create(C)).sum(), 0.5f));
        }
    }

    /**
     * Adam as Kingma & Ba write it, in double precision, with the step size ramped over the first
     * updates and the moments rounded to bfloat16 after update {@code savedAt}, as a checkpoint
     * stores them.
     */
    private static double[] reference(int steps, double lr, int warmup, int savedAt) {
        double[] w = new double[START.length];
        double[] mean = new double[START.length];
        double[] var = new double[START.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = START[i];
        }
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < w.length; i++) {
                if (t == savedAt + 1) {
                    mean[i] = BFloat16.toFloat(BFloat16.fromFloat((float) mean[i]));
                    var[i] = BFloat16.toFloat(BFloat16.fromFloat((float) var[i]));
                }
                double g = C[i] * w[i];
                mean[i] = 0.9 * mean[i] + 0.1 * g;
                var[i] = 0.999 * var[i] + 0.001 * g * g;
                double mHat = mean[i] / (1 - Math.pow(0.9, t));
                double vHat = var[i] / (1 - Math.pow(0.999, t));
                double ramp = t < warmup ? t / (double) warmup : 1;
                w[i] -= ramp * lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        return w;
    }
}
