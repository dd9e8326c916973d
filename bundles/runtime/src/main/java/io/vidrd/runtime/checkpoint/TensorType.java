package io.vidrd.runtime.checkpoint;

/** Element types a checkpoint tensor can have, with their size in bytes. */
public enum TensorType {
    FLOAT32(4), FLOAT16(2), BFLOAT16(2), FLOAT64(8), INT64(8), INT32(4), INT16(2), INT8(1), UINT8(1), BOOL(1);

    private final int byteSize;

    TensorType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return whether this is a floating-point type */
    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16 || this == FLOAT64;
    }
}
