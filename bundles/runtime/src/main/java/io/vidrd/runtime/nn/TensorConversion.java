package io.vidrd.runtime.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vidrd.runtime.checkpoint.BFloat16;
import io.vidrd.runtime.checkpoint.HalfFloat;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checkpoint bytes to NDArrays. Floating-point tensors are widened to fp32 in Java first: stock
 * DJL aborts the JVM on a bfloat16 tensor on the CPU, and fp16 arithmetic is not supported there.
 * A reduced target precision is reached by casting on the target device afterwards.
 */
public final class TensorConversion {

    private TensorConversion() {}

    /**
     * @param manager where the array is made (its device)
     * @param record a checkpoint tensor (floating-point or integer)
     * @param target element type wanted for a floating-point tensor (integers keep theirs)
     * @return the tensor as an array owned by PyTorch
     * @throws IOException if the tensor cannot be read
     */
    public static NDArray toNDArray(NDManager manager, TensorRecord record, DataType target) throws IOException {
        ByteBuffer raw = record.read().order(ByteOrder.LITTLE_ENDIAN);
        Shape shape = new Shape(record.shape());
        TensorType type = record.type();
        if (!type.isFloating()) {
            return owned(manager.create(direct(raw), shape, integerType(type)));
        }
        if (type == TensorType.FLOAT16 && target == DataType.FLOAT16) {
            return owned(manager.create(direct(raw), shape, DataType.FLOAT16));
        }
        NDArray fp32 = owned(manager.create(toFloat32(raw, type, record.elementCount()), shape, DataType.FLOAT32));
        if (target == DataType.FLOAT32) {
            return fp32;
        }
        NDArray cast = fp32.toType(target, false);
        fp32.close();
        return cast;
    }

    /**
     * On the CPU DJL wraps the Java direct buffer instead of copying it, so weights would count
     * against {@code -XX:MaxDirectMemorySize} (by default the heap limit) for the model's lifetime.
     * A copy into PyTorch-owned memory leaves the buffer to the garbage collector.
     */
    private static NDArray owned(NDArray wrapped) {
        if (wrapped.getDevice().isGpu()) {
            return wrapped;
        }
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    private static DataType integerType(TensorType type) {
        switch (type) {
            case INT64: return DataType.INT64;
            case INT32: return DataType.INT32;
            case INT8: return DataType.INT8;
            case UINT8: return DataType.UINT8;
            case BOOL: return DataType.BOOLEAN;
            default:
                throw new IllegalArgumentException("tensor type " + type + " is not supported");
        }
    }

    private static ByteBuffer direct(ByteBuffer raw) {
        ByteBuffer out = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
        out.put(raw.duplicate());
        out.rewind();
        return out;
    }

    private static ByteBuffer toFloat32(ByteBuffer raw, TensorType type, long count) {
        if (type == TensorType.FLOAT32) {
            return direct(raw);
        }
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder());
        int base = raw.position();
        for (int i = 0; i < count; i++) {
            float v;
            switch (type) {
                case FLOAT16: v = HalfFloat.toFloat(raw.getShort(base + 2 * i)); break;
                case BFLOAT16: v = BFloat16.toFloat(raw.getShort(base + 2 * i)); break;
                case FLOAT64: v = (float) raw.getDouble(base + 8 * i); break;
                default: throw new IllegalArgumentException("tensor type " + type + " is not floating-point");
            }
            out.putFloat(v);
        }
        out.rewind();
        return out;
    }
}
