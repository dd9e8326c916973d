package io.vidrd.demo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vidrd.runtime.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightAverageTest {

    @Test
    void followsTheWarmedUpDecayAndResumesFromItsHalfPrecisionFile(@TempDir Path tmp) throws Exception {
        float decay = 0.9f;
        float[][] weights = {{1f, -2f}, {3f, 0.5f}, {-1f, 4f}, {0.25f, 0.75f}, {2f, -3f}};
        double[] expected = {1, -2};
        for (int n = 1; n < weights.length; n++) {
            double d = Math.min(decay, (1.0 + n) / (10.0 + n));
            for (int i = 0; i < 2; i++) {
                expected[i] = d * expected[i] + (1 - d) * weights[n][i];
            }
        }
        try (NDManager m = Torch.newManager(Device.cpu())) {
            NDArray w = m.create(weights[0].clone());
            Map<String, NDArray> params = Map.of("unet.w", w);
            try (WeightAverage average = new WeightAverage(decay)) {
                average.update(params);   // the first update starts the average at the weights
                for (int n = 1; n < 3; n++) {
                    w.set(weights[n]);
                    average.update(params);
                }
                average.save(tmp.resolve("average.safetensors"));
            }
            try (WeightAverage resumed = new WeightAverage(decay)) {
                resumed.restore(tmp.resolve("average.safetensors"), params);
                assertEquals(3, resumed.updates());
                for (int n = 3; n < weights.length; n++) {
                    w.set(weights[n]);
                    resumed.update(params);
                }
                float[] got = resumed.weights().get("unet.w").toFloatArray();
                // fp16 storage in between: about 5e-4 relative
                assertArrayEquals(new float[] {(float) expected[0], (float) expected[1]}, got, 2e-3f);
                assertTrue(Math.abs(got[0] - weights[4][0]) > 0.5, "an average, not the last weights");
            }
            try (WeightAverage other = new WeightAverage(decay)) {
                IOException e = assertThrows(IOException.class,
                        () -> other.restore(tmp.resolve("average.safetensors"), Map.of("unet.v", w)));
                assertTrue(e.getMessage().contains("unet.w"), e.getMessage());
            }
        }
    }
}
