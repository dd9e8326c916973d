package io.vidrd.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.SeededNoiseSource;
import io.vidrd.runtime.Torch;
import org.junit.jupiter.api.Test;

class LatentDistributionTest {

    @Test
    void sampleIsMeanPlusStdTimesOneDrawOfTheNoiseSource() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            Shape shape = new Shape(2, 4, 3, 3);
            float[] mean = new float[72];
            float[] logvar = new float[72];
            for (int i = 0; i < 72; i++) {
                mean[i] = (i % 7) * 0.25f - 0.5f;
                logvar[i] = (i % 5) - 2f;
            }
            LatentDistribution d = new LatentDistribution(m.create(mean, shape), m.create(logvar, shape));
            int before = m.getManagedArrays().size();
            SeededNoiseSource noise = new SeededNoiseSource(42);
            NDArray sample = d.sample(noise);
            assertEquals(before + 1, m.getManagedArrays().size(), "only the sample stays on the caller's manager");
            assertEquals(1, noise.drawCount());
            assertEquals(shape, sample.getShape());
            float[] eps = new SeededNoiseSource(42).normal(shape.getShape(), 0f, 1f);
            float[] s = sample.toFloatArray();
            for (int i = 0; i < 72; i++) {
                float std = (float) Math.exp(0.5 * logvar[i]);
                assertEquals(mean[i] + std * eps[i], s[i], 1e-6f, "element " + i);
            }
        }
    }

    @Test
    void meanAndLogvarMustHaveOneShape() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            assertThrows(IllegalArgumentException.class,
                    () -> new LatentDistribution(m.zeros(new Shape(1, 4, 2, 2)), m.zeros(new Shape(1, 4, 2, 3))));
        }
    }
}
