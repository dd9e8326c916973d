package io.vidrd.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vidrd.runtime.Torch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the trainable blocks that multiply by a number do not change when the garbage
 * collector runs between the forward and the backward pass. With DJL's number operands they did:
 * the operand autograd had kept was freed memory by then (see {@link ScalarOperands}).
 */
class ScalarOperandsTest {

    @Test
    void quickGeluGradientSurvivesACollectionBeforeBackward() throws Exception {
        assertSameGradient(Activations::quickGelu, new Shape(3, 5));
    }

    @Test
    void scaledAttentionGradientSurvivesACollectionBeforeBackward() throws Exception {
        assertSameGradient(x -> ScaledDotProductAttention.attend(x, x.flip(1), x.mul(x), 2, 0.3f, null),
                new Shape(2, 4, 6));
    }

    @Test
    void numberProductAndQuotientGradientsSurviveACollectionBeforeBackward() throws Exception {
        assertSameGradient(x -> ScalarOperands.div(ScalarOperands.mul(x, 0.5f), 3f), new Shape(4));
    }

    private static void assertSameGradient(UnaryOperator<NDArray> block, Shape shape) throws Exception {
        float[] undisturbed = gradient(block, shape, false);
        float[] disturbed = gradient(block, shape, true);
        assertArrayEquals(undisturbed, disturbed, 0f);
    }

    private static float[] gradient(UnaryOperator<NDArray> block, Shape shape, boolean collect) throws Exception {
        try (NDManager m = Torch.newManager(Device.cpu())) {
            float[] values = new float[(int) shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.sin(1.7 * i) * 2;
            }
            NDArray x = m.create(values, shape);
            x.setRequiresGradient(true);
            List<ByteBuffer> reuse = new ArrayList<>();
            try (GradientCollector gc = Torch.engine().newGradientCollector()) {
                NDArray loss = block.apply(x).sum();
                if (collect) {
                    collectAndReuseFreedDirectMemory(reuse);
                }
                gc.backward(loss);
            }
            return x.getGradient().toFloatArray();
        }
    }

    /**
     * Frees the direct buffers of closed arrays and fills the freed small blocks with NaN bit
     * patterns, so that a backward pass reading freed memory shows it.
     */
    private static void collectAndReuseFreedDirectMemory(List<ByteBuffer> keep) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(25);
        }
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4);
            b.putInt(0, 0x7fc00001 + (i & 0xff));
            keep.add(b);
        }
    }
}
