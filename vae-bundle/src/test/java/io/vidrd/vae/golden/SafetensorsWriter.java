package io.vidrd.vae.golden;

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

/** Test-only writer of small fp32 safetensors files, for deliberately broken VAE weights. */
public final class SafetensorsWriter {

    private record Entry(long[] shape, byte[] data) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /**
     * @param dict fp32 tensors to copy (all of them)
     * @return a writer holding copies
     * @throws IOException if a tensor cannot be read
     */
    public static SafetensorsWriter copyOf(StateDict dict) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (TensorRecord r : dict.tensors().values()) {
            if (r.type() != TensorType.FLOAT32) {
                throw new IllegalArgumentException("unsupported in tests: " + r.type());
            }
            ByteBuffer b = r.read();
            byte[] data = new byte[b.remaining()];
            b.get(data);
            w.tensors.put(r.key(), new Entry(r.shape(), data));
        }
        return w;
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
     * @param key key to add or replace
     * @param shape shape
     * @return this, with an fp32 tensor of zeros
     */
    public SafetensorsWriter putZeros(String key, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        tensors.put(key, new Entry(shape.clone(), new byte[Math.toIntExact(n * 4)]));
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
            t.addProperty("dtype", "F32");
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
