package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a number, through a 0-dim array whose memory PyTorch owns.
 *
 * <p>Why not DJL's number operands ({@code x.mul(0.5f)}): DJL wraps the number in a 0-dim array
 * over a Java direct buffer and closes that array as soon as the operation returns. Autograd keeps
 * the operand of a product or a quotient for the backward pass, so once the garbage collector has
 * freed the buffer, the backward pass reads freed memory and the gradients are garbage. On the CPU
 * this happened whenever a collection fell between a training step's forward and backward pass:
 * NaN latents after two VAE training steps on one machine, none on another. An array made by
 * {@code full} lives as long as anything in PyTorch refers to it. Forward values are the same: the
 * operand is the same 0-dim fp32 array either way.
 *
 * <p>Use these in every block that can be trained; number operands that only ever meet arrays
 * without gradients (sampling, frame conversion) are safe as they are.
 */
public final class ScalarOperands {

    private ScalarOperands() {}

    /**
     * @param manager where the array is made (its device)
     * @param value the number
     * @return a 0-dim fp32 array holding {@code value}, in PyTorch-owned memory
     */
    public static NDArray of(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /**
     * @param x any array
     * @param factor the number
     * @return {@code x · factor}, on x's manager
     */
    public static NDArray mul(NDArray x, float factor) {
        try (NDArray operand = of(x.getManager(), factor)) {
            return x.mul(operand);
        }
    }

    /**
     * @param x any array
     * @param divisor the number
     * @return {@code x / divisor}, on x's manager
     */
    public static NDArray div(NDArray x, float divisor) {
        try (NDArray operand = of(x.getManager(), divisor)) {
            return x.div(operand);
        }
    }
}
