package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a checkpoint, described but not yet read: its element type and shape, and a way
 * to read its elements. Reading happens on demand so a multi-gigabyte checkpoint never has to be
 * on the heap at once.
 */
public interface TensorRecord {

    /** @return the key of this tensor in its state dict */
    String key();

    /** @return element type as stored in the file */
    TensorType type();

    /** @return shape (a copy); empty for a scalar */
    long[] shape();

    /** @return number of elements */
    default long elementCount() {
        return Arrays.stream(shape()).reduce(1L, Math::multiplyExact);
    }

    /**
     * Reads the elements in row-major (C) order, contiguous, little-endian, whatever the storage
     * layout in the file (offsets, strides and shared storages are resolved here).
     *
     * @return a buffer positioned at 0 with {@code elementCount() * type().byteSize()} bytes,
     *     in little-endian order
     * @throws IOException if the file cannot be read or is truncated
     */
    ByteBuffer read() throws IOException;
}
