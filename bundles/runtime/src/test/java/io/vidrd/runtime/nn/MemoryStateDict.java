package io.vidrd.runtime.nn;

import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An in-memory state dict of fp32 or fp16 tensors for tests. */
final class MemoryStateDict implements StateDict {

    private final Map<String, TensorRecord> tensors = new LinkedHashMap<>();

    MemoryStateDict put(String key, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        tensors.put(key, record(key, TensorType.FLOAT32, shape, b));
        return this;
    }

    MemoryStateDict putHalf(String key, long[] shape, short... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : bits) {
            b.putShort(v);
        }
        tensors.put(key, record(key, TensorType.FLOAT16, shape, b));
        return this;
    }

    private static TensorRecord record(String key, TensorType type, long[] shape, ByteBuffer data) {
        return new TensorRecord() {
            @Override public String key() { return key; }
            @Override public TensorType type() { return type; }
            @Override public long[] shape() { return shape.clone(); }
            @Override public ByteBuffer read() { return data.duplicate().rewind().order(ByteOrder.LITTLE_ENDIAN); }
        };
    }

    @Override
    public Path source() {
        return Path.of("memory.safetensors");
    }

    @Override
    public Map<String, TensorRecord> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    @Override
    public void close() {}
}
