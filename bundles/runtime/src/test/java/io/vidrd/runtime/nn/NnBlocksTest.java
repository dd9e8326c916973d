package io.vidrd.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NnBlocksTest {

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void geluIsTheExactErfForm() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            float[] x = random(1000, 1);
            float[] y = Activations.gelu(m.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                double ref = 0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2)));
                assertEquals(ref, y[i], 1e-6, "gelu(" + x[i] + ")");
            }
        }
    }

    // Abramowitz-Stegun 7.1.26 is too coarse; use a series/continued-fraction-free high-precision form
    private static double erf(double x) {
        double t = Math.abs(x);
        double sum = 0;
        double term = t;
        int n = 0;
        if (t < 3) {
            // Maclaurin series, converges well for |x| < 3
            sum = t;
            for (n = 1; n < 200; n++) {
                term *= -t * t / n;
                sum += term / (2 * n + 1);
            }
            sum *= 2 / Math.sqrt(Math.PI);
        } else {
            sum = 1;
        }
        return Math.signum(x) * sum;
    }

    @Test
    void groupNormPoolsAllTrailingAxesAndMatchesNaiveComputation() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            int b = 2, c = 4, f = 3, h = 2, w = 2, groups = 2;
            float[] x = random(b * c * f * h * w, 2);
            float[] gamma = {1.1f, 0.9f, 1.2f, 0.8f};
            float[] beta = {0.1f, -0.1f, 0.2f, 0f};
            MemoryStateDict d = new MemoryStateDict().put("n.weight", new long[] {c}, gamma).put("n.bias", new long[] {c}, beta);
            WeightBinding binding = WeightBinding.builder("test", m, Precision.FP32).source(d, "").build();
            GroupNorm gn = new GroupNorm(binding.root().at("n"), groups, c, 1e-5f);
            binding.finish();
            float[] y = gn.forward(m.create(x, new Shape(b, c, f, h, w))).toFloatArray();
            int per = c / groups * f * h * w;
            for (int bi = 0; bi < b; bi++) {
                for (int g = 0; g < groups; g++) {
                    int start = bi * c * f * h * w + g * per;
                    double mean = 0;
                    for (int i = 0; i < per; i++) {
                        mean += x[start + i];
                    }
                    mean /= per;
                    double var = 0;
                    for (int i = 0; i < per; i++) {
                        var += (x[start + i] - mean) * (x[start + i] - mean);
                    }
                    var /= per;
                    for (int i = 0; i < per; i++) {
                        int ch = g * (c / groups) + i / (f * h * w);
                        double ref = (x[start + i] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch];
                        assertEquals(ref, y[start + i], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void upsampleIsNearestTimesTwoPerFrame() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            // identity 1x1-equivalent conv: 3x3 kernel with only the centre set, zero bias
            float[] k = new float[9];
            k[4] = 1f;
            MemoryStateDict d = new MemoryStateDict().put("conv.weight", new long[] {1, 1, 3, 3}, k)
                    .put("conv.bias", new long[] {1}, 0f);
            WeightBinding binding = WeightBinding.builder("test", m, Precision.FP32).source(d, "").build();
            Upsample up = new Upsample(binding.root(), 1);
            binding.finish();
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 1, 2, 2, 2));
            NDArray y = up.forward(x);
            assertEquals(new Shape(1, 1, 2, 4, 4), y.getShape());
            assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
                5, 5, 6, 6, 5, 5, 6, 6, 7, 7, 8, 8, 7, 7, 8, 8}, y.toFloatArray());
        }
    }

    @Test
    void vaeDownsamplePadsRightAndBottom() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            float[] k = new float[9];
            k[0] = 1f; // picks the top-left of each 3x3 window
            k[8] = 1f; // plus the bottom-right (padding zeros at the edge)
            MemoryStateDict d = new MemoryStateDict().put("conv.weight", new long[] {1, 1, 3, 3}, k)
                    .put("conv.bias", new long[] {1}, 0f);
            WeightBinding binding = WeightBinding.builder("test", m, Precision.FP32).source(d, "").build();
            Downsample down = new Downsample(binding.root(), 1, 0);
            binding.finish();
            float[] x = new float[16];
            for (int i = 0; i < 16; i++) {
                x[i] = i + 1;
            }
            NDArray y = down.forward(m.create(x, new Shape(1, 1, 4, 4)));
            assertEquals(new Shape(1, 1, 2, 2), y.getShape());
            // windows start at (0,0),(0,2),(2,0),(2,2); bottom-right of the last ones fall into padding
            assertArrayEquals(new float[] {1 + 11, 3 + 0, 9 + 0, 11 + 0}, y.toFloatArray());
        }
    }

    @Test
    void halfPrecisionWeightsAreWidenedExactly() {
        assertEquals(1f, io.vidrd.runtime.checkpoint.HalfFloat.toFloat((short) 0x3c00));
        assertEquals(-2f, io.vidrd.runtime.checkpoint.HalfFloat.toFloat((short) 0xc000));
        assertEquals(65504f, io.vidrd.runtime.checkpoint.HalfFloat.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, io.vidrd.runtime.checkpoint.HalfFloat.toFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, io.vidrd.runtime.checkpoint.HalfFloat.toFloat((short) 0x7c00));
        try (NDManager m = Torch.newManager(Device.cpu())) {
            MemoryStateDict d = new MemoryStateDict().putHalf("w", new long[] {2}, (short) 0x3c00, (short) 0x3555);
            WeightBinding binding = WeightBinding.builder("test", m, Precision.FP32).source(d, "").build();
            NDArray w = binding.root().take("w", 2);
            binding.finish();
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, w.getDataType());
            assertArrayEquals(new float[] {1f, 0.33325195f}, w.toFloatArray());
        }
    }

    @Test
    void bindingReportsEveryProblemAtOnce() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            MemoryStateDict d = new MemoryStateDict()
                    .put("m.a.weight", new long[] {2, 2}, 1, 2, 3, 4)
                    .put("m.b.weight", new long[] {3}, 1, 2, 3)
                    .put("m.extra", new long[] {1}, 0)
                    .put("m.buffer", new long[] {1}, 0)
                    .put("other.x", new long[] {1}, 0);
            WeightBinding binding = WeightBinding.builder("toy", m, Precision.FP32).source(d, "m.").ignore("buffer").build();
            Weights w = binding.root();
            w.take("a.weight", 2, 2);
            NDArray b = w.take("b.weight", 2);
            w.take("c.weight", 5);
            assertEquals(new Shape(2), b.getShape());
            WeightBindingException e = assertThrows(WeightBindingException.class, binding::finish);
            assertEquals(java.util.List.of("m.c.weight"), e.missing());
            assertEquals(java.util.List.of("m.extra"), e.unexpected());
            assertEquals(java.util.List.of("m.b.weight: expected [2], file has [3]"), e.mismatched());
            assertTrue(e.getMessage().contains("memory.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("1 missing, 1 unexpected, 1 with a wrong shape"), e.getMessage());
        }
    }
}
