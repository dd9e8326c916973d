package io.vidrd.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.junit.jupiter.api.Test;

class TorchTest {

    @Test
    void inferenceThreadSwitchesAutogradOffOnThatThreadOnly() throws Exception {
        Torch.engine();
        boolean[] seen = new boolean[3];
        Thread t = new Thread(() -> {
            // PyTorch's grad mode is per thread and on by default
            seen[0] = io.vidrd.runtime.nn.FusedKernels.inferenceOnThisThread();
            Torch.inferenceThread();
            seen[1] = io.vidrd.runtime.nn.FusedKernels.inferenceOnThisThread();
        });
        t.start();
        t.join();
        Thread other = new Thread(() -> seen[2] = io.vidrd.runtime.nn.FusedKernels.inferenceOnThisThread());
        other.start();
        other.join();
        assertTrue(!seen[0] && seen[1] && !seen[2], "grad mode off only where switched: " + java.util.Arrays.toString(seen));
    }

    @Test
    void engineRunsConvolutionAndMatmulWithKnownResults() {
        assertEquals("PyTorch", Torch.engine().getEngineName());
        try (NDManager m = Torch.newManager(Device.cpu())) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = m.create(new float[] {5, 6, 7, 8}, new Shape(2, 2));
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
            // 3x3 input of ones, 2x2 kernel of ones, no padding: every output is 4, plus bias 0.5
            NDArray x = m.ones(new Shape(1, 1, 3, 3));
            NDArray w = m.ones(new Shape(1, 1, 2, 2));
            NDArray bias = m.create(new float[] {0.5f});
            NDArray y = Conv2d.conv2d(x, w, bias, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
            assertEquals(new Shape(1, 1, 2, 2), y.getShape());
            assertArrayEquals(new float[] {4.5f, 4.5f, 4.5f, 4.5f}, y.toFloatArray());
        }
    }

    @Test
    void bf16IsRefusedOnTheGpuUnlessTheJniIsDeclaredToMapIt() {
        // parse only reads the declaration: no tensor is made, so a stock JNI is never handed a bf16 one
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty(ComputeTarget.BF16_PROPERTY) == null
                && System.getenv(ComputeTarget.BF16_ENV) == null, "bf16 declared in this environment");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeTarget.parse("gpu:0", "bf16"));
        assertTrue(e.getMessage().startsWith("dtype 'bf16' is not supported by this PyTorch runtime")
                && e.getMessage().contains("-Dvidrd.torch.bf16=true (or VIDRD_TORCH_BF16=true)"), e.getMessage());
        System.setProperty(ComputeTarget.BF16_PROPERTY, "true");
        try {
            assertEquals("gpu:0/bf16", ComputeTarget.parse("gpu", "bfloat16").toString());
            assertThrows(IllegalArgumentException.class, () -> ComputeTarget.parse("cpu", "bf16"), "never on the CPU");
        } finally {
            System.clearProperty(ComputeTarget.BF16_PROPERTY);
        }
    }

    @Test
    void aMissingGpuAndBf16OnPreAmpereGpusAreRefusedBeforeAnyModelLoads() {
        assertEquals(ComputeTarget.cpu(), ComputeTarget.cpu().requireAvailable());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComputeTarget.parse("gpu:7", "fp32").requireAvailable());
        assertTrue(e.getMessage().startsWith("device 'gpu:7' is not available: "), e.getMessage());
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> ComputeTarget.requireBf16Capability("gpu:0", "75"));
        assertEquals("dtype 'bf16' is not supported on device 'gpu:0': it has compute capability 7.5, bf16 needs 8.0"
                + " (Ampere) or newer; use fp16 or fp32", old.getMessage());
        ComputeTarget.requireBf16Capability("gpu:0", "80");
        ComputeTarget.requireBf16Capability("gpu:1", "90");
        ComputeTarget.requireBf16Capability("gpu:0", "");   // unknown: PyTorch decides
    }

    @Test
    void reducedPrecisionIsRefusedOnCpu() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeTarget.parse("cpu", "bf16"));
        assertEquals("dtype 'bf16' is not supported on device 'cpu'; the CPU runs fp32 only (fp16/bf16 need a CUDA device)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComputeTarget.parse("tpu", "fp32"));
        assertThrows(IllegalArgumentException.class, () -> ComputeTarget.parse("cpu", "int8"));
        assertEquals("gpu:1/fp16", ComputeTarget.parse("cuda:1", "half").toString());
        assertEquals("cpu/fp32", ComputeTarget.parse("CPU", "float32").toString());
    }

    @Test
    void seededNoiseIsReproducibleAndScaled() {
        float[] a = new SeededNoiseSource(7).normal(new long[] {2, 3}, 0f, 1f);
        float[] b = new SeededNoiseSource(7).normal(new long[] {2, 3}, 0f, 1f);
        float[] c = new SeededNoiseSource(7).normal(new long[] {2, 3}, 1f, 0.25f);
        assertArrayEquals(a, b);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] * 0.25f + 1f, c[i]);
        }
    }
}
