package io.vidrd.engine.golden;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test-only writer of small safetensors files, for building deliberately broken checkpoints. */
public final class SafetensorsWriter {

    private record Entry(String dtype, long[] shape, byte[] data) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /**
     * @param dict tensors to copy (all of them)
     * @return a writer holding copies of every tensor of dict
     * @throws IOException if a tensor cannot be read
     */
    public static SafetensorsWriter copyOf(StateDict dict) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (TensorRecord r : dict.tensors().values()) {
            ByteBuffer b = r.read();
            byte[] data = new byte[b.remaining()];
            b.get(data);
            w.tensors.put(r.key(), new Entry(dtype(r.type()), r.shape(), data));
        }
        return w;
    }

    private static String dtype(TensorType t) {
        switch (t) {
            case FLOAT32: return "F32";
            case FLOAT16: return "F16";
            case INT64: return "I64";
            default: throw new IllegalArgumentException("unsupported in tests: " + t);
        }
    }

    /**
     * @param key key to drop
     * @return this
     */
    public SafetensorsWriter remove(String key) {
        if (tensors.remove(key) == null) {
            throw new IllegalArgumentException("no tensor " + key);
        }
        return this;
    }

    /**
     * @param prefix every key starting with it is dropped
     * @return this
     */
    public SafetensorsWriter removePrefix(String prefix) {
        tensors.keySet().removeIf(k -> k.startsWith(prefix));
        return this;
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @return this, with an fp32 tensor of zeros
     */
    public SafetensorsWriter putZeros(String key, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        tensors.put(key, new Entry("F32", shape.clone(), new byte[Math.toIntExact(n * 4)]));
        return this;
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @param values fp32 values
     * @return this
     */
    public SafetensorsWriter putFloats(String key, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        tensors.put(key, new Entry("F32", shape.clone(), b.array()));
        return this;
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @param bits fp16 bit patterns
     * @return this
     */
    public SafetensorsWriter putHalf(String key, long[] shape, short[] bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : bits) {
            b.putShort(v);
        }
        tensors.put(key, new Entry("F16", shape.clone(), b.array()));
        return this;
    }

    /**
     * @param file where to write
     * @return file
     * @throws IOException on write failure
     */
    public Path write(Path file) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        header.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.getValue().dtype());
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += e.getValue().data().length;
            offsets.add(offset);
            t.add("data_offsets", offsets);
            header.add(e.getKey(), t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            for (Entry e : tensors.values()) {
                out.write(e.data());
            }
        }
        return file;
    }
}
