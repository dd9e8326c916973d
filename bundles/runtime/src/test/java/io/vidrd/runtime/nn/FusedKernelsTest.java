package io.vidrd.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.Precision;
import io.vidrd.runtime.Torch;
import org.junit.jupiter.api.Test;

/**
 * The self-written TorchScript module loads with DJL's standard loader and its fused attention
 * computes what the explicit attention computes (checked on the CPU; the GPU uses the same module).
 */
class FusedKernelsTest {

    @Test
    void fusedAttentionEqualsTheExplicitOneForSelfAndCrossAttention() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            FusedKernels kernels = FusedKernels.load(m);
            m.getEngine().setRandomSeed(7);
            // self-attention, 5 heads of 8
            NDArray x = m.randomNormal(new Shape(3, 17, 40));
            NDArray y = m.randomNormal(new Shape(3, 17, 40));
            NDArray z = m.randomNormal(new Shape(3, 17, 40));
            assertClose(ScaledDotProductAttention.attend(x, y, z, 5, 0.3f, null), kernels.attend(x, y, z, 5, 0.3));
            // cross-attention: 11 context tokens, 2 heads of 20, scale 1 (pre-scaled queries)
            NDArray k = m.randomNormal(new Shape(3, 11, 40));
            NDArray v = m.randomNormal(new Shape(3, 11, 40));
            NDArray fused = kernels.attend(x, k, v, 2, 1.0);
            assertEquals(new Shape(3, 17, 40), fused.getShape());
            assertClose(ScaledDotProductAttention.attend(x, k, v, 2, 1f, null), fused);
        }
    }

    @Test
    void headsAreSplitHeadMajorFromTheChannelAxis() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            FusedKernels kernels = FusedKernels.load(m);
            m.getEngine().setRandomSeed(3);
            NDArray q = m.randomNormal(new Shape(2, 6, 8));
            NDArray k = m.randomNormal(new Shape(2, 4, 8));
            NDArray v = m.randomNormal(new Shape(2, 4, 8));
            // with heads of 4 channels, output channels 0-3 depend on input channels 0-3 only
            NDArray both = kernels.attend(q, k, v, 2, 0.5);
            NDArray first = kernels.attend(q.get(":, :, 0:4"), k.get(":, :, 0:4"), v.get(":, :, 0:4"), 1, 0.5);
            assertClose(first, both.get(":, :, 0:4"));
            NDArray one = kernels.attend(q, k, v, 1, 0.5);
            assertTrue(one.sub(both).abs().max().getFloat() > 1e-3, "one head and two heads must differ");
        }
    }

    @Test
    void fusedGroupNormEqualsTheComposedOneWithAndWithoutSilu() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            FusedKernels kernels = FusedKernels.load(m);
            MemoryStateDict dict = new MemoryStateDict().put("n.weight", new long[] {8}, 1, 2, 3, 4, -1, -2, 0.5f, 0)
                    .put("n.bias", new long[] {8}, 0, 1, 0, -1, 0.25f, 0, 0, 3);
            WeightBinding binding = WeightBinding.builder("test", m, Precision.FP32).source(dict, "").build();
            GroupNorm norm = new GroupNorm(binding.root().at("n"), 4, 8, 1e-5f);
            NDArray weight = m.create(new float[] {1, 2, 3, 4, -1, -2, 0.5f, 0});
            m.getEngine().setRandomSeed(11);
            for (Shape shape : new Shape[] {new Shape(2, 8, 5, 3, 3), new Shape(3, 8, 4, 4), new Shape(2, 8, 6)}) {
                NDArray x = m.randomNormal(shape).mul(3).add(1);
                NDArray expected = norm.forward(x);
                NDArray w = weight;
                NDArray b = m.create(new float[] {0, 1, 0, -1, 0.25f, 0, 0, 3});
                assertClose(expected, kernels.groupNorm(x, 4, w, b, 1e-5, false));
                assertClose(Activations.silu(expected), kernels.groupNorm(x, 4, w, b, 1e-5, true));
                if (shape.dimension() == 5) {
                    // frame-major storage: [F, B, C, H, W] memory seen as [B, C, F, H, W]
                    NDArray frameMajor = x.transpose(2, 0, 1, 3, 4).duplicate().transpose(1, 2, 0, 3, 4);
                    NDArray fm = kernels.groupNormFrameMajor(frameMajor, 4, w, b, 1e-5, true);
                    assertClose(Activations.silu(expected), fm);
                }
            }
        }
    }

    @Test
    void resultsBelongToTheCallersManagerNotToTheKernels() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            FusedKernels kernels = FusedKernels.load(m);
            NDArray out;
            try (NDManager call = m.newSubManager()) {
                NDArray q = call.randomNormal(new Shape(1, 4, 8));
                out = kernels.attend(q, q, q, 2, 1.0);
                assertSame(call, out.getManager(), "a result kept by the kernels' manager lives as long as the model");
            }
            assertTrue(out.isReleased(), "closing the caller's scope frees the result");
        }
    }

    @Test
    void cpuBindingsKeepTheExplicitKernelsEvenWhenAsked() {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            MemoryStateDict dict = new MemoryStateDict();
            WeightBinding binding = WeightBinding.builder("test", m, Precision.FP32).source(dict, "")
                    .fusedKernels(true).build();
            assertNull(binding.root().fusedKernels());
        }
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape());
        float diff = expected.sub(actual).abs().max().getFloat();
        assertTrue(diff < 2e-6, "max |fused - explicit| = " + diff);
    }
}
