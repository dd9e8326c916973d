package io.vidrd.runtime.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes {@code .safetensors} files in the standard format that {@link SafetensorsReader} and the
 * Python {@code safetensors} package read: an 8-byte little-endian header length, a JSON header
 * with {@code __metadata__} (always {@code "format": "pt"}, plus any {@link #putMetadata entries}
 * given) and, per tensor, {@code dtype}, {@code shape} and {@code data_offsets}, then the raw
 * little-endian element bytes with no holes.
 *
 * <p>Alignment: the header is padded with spaces (as the format allows) so the data starts at a
 * multiple of 8 bytes, and the tensors are laid out by decreasing element size (keeping the order
 * of insertion among tensors of the same size), so every tensor starts at a multiple of its
 * element size. The header lists the tensors in that same order.
 *
 * <p>The writer holds every tensor's bytes on the heap until {@link #write}, which writes a
 * temporary file beside the target and then moves it into place (atomically where the file
 * system supports it), so a reader never sees a half-written file. Tensors are added or replaced
 * by key; not thread-safe.
 */
public final class SafetensorsWriter {

    private static final String METADATA = "__metadata__";

    private record Entry(TensorType type, long[] shape, byte[] data) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** An empty writer. */
    public SafetensorsWriter() {
        metadata.put("format", "pt");
    }

    /**
     * @param dict tensors to copy (all of them, read now: the state dict may be closed afterwards)
     * @return a writer holding copies of every tensor of {@code dict}, in its order
     * @throws IOException if a tensor cannot be read
     */
    public static SafetensorsWriter copyOf(StateDict dict) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (TensorRecord r : dict.tensors().values()) {
            w.put(r);
        }
        return w;
    }

    /**
     * The safetensors name of an element type.
     *
     * @param type an element type
     * @return its {@code dtype} string ({@code F32}, {@code F16}, {@code BF16}, {@code I64}, ...)
     */
    public static String dtype(TensorType type) {
        return switch (type) {
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT16 -> "I16";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    /**
     * Copies a tensor (read now) under its own key.
     *
     * @param record the tensor
     * @return this
     * @throws IOException if it cannot be read
     */
    public SafetensorsWriter put(TensorRecord record) throws IOException {
        return put(record.key(), record.type(), record.shape(), record.read());
    }

    /**
     * Adds or replaces a tensor.
     *
     * @param key state-dict key (not {@code __metadata__})
     * @param type element type
     * @param shape shape (empty for a scalar)
     * @param data the elements in row-major order, little-endian, from the buffer's position to its
     *     limit (copied; the buffer is not changed)
     * @return this
     * @throws IllegalArgumentException for a bad key or shape, or a byte count that does not match
     *     the shape
     */
    public SafetensorsWriter put(String key, TensorType type, long[] shape, ByteBuffer data) {
        if (key == null || key.isEmpty() || key.equals(METADATA)) {
            throw new IllegalArgumentException("not a tensor key: " + key);
        }
        long bytes = Math.multiplyExact(elementCount(shape), type.byteSize());
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("tensor '" + key + "': " + data.remaining() + " bytes do not hold "
                    + elementCount(shape) + " " + type + " elements");
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        tensors.put(key, new Entry(type, shape.clone(), copy));
        return this;
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @param values fp32 values, row-major
     * @return this
     */
    public SafetensorsWriter putFloats(String key, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return put(key, TensorType.FLOAT32, shape, b);
    }

    /**
     * Stores floats in a floating-point type, narrowing to fp16 ({@link HalfFloat}) or bf16
     * ({@link BFloat16}) with round-to-nearest-even.
     *
     * @param key key to add or replace
     * @param type {@link TensorType#FLOAT32}, {@link TensorType#FLOAT16} or {@link TensorType#BFLOAT16}
     * @param shape shape
     * @param values values, row-major
     * @return this
     * @throws IllegalArgumentException for another type
     */
    public SafetensorsWriter putFloats(String key, TensorType type, long[] shape, float[] values) {
        if (type == TensorType.FLOAT32) {
            return putFloats(key, shape, values);
        }
        if (type != TensorType.FLOAT16 && type != TensorType.BFLOAT16) {
            throw new IllegalArgumentException(key + ": cannot store floats as " + type);
        }
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = type == TensorType.FLOAT16 ? HalfFloat.fromFloat(values[i]) : BFloat16.fromFloat(values[i]);
        }
        return put(key, type, shape, shorts(bits));
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @param bits fp16 bit patterns, row-major
     * @return this
     */
    public SafetensorsWriter putHalf(String key, long[] shape, short[] bits) {
        return put(key, TensorType.FLOAT16, shape, shorts(bits));
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @param bits bfloat16 bit patterns, row-major
     * @return this
     */
    public SafetensorsWriter putBFloat16(String key, long[] shape, short[] bits) {
        return put(key, TensorType.BFLOAT16, shape, shorts(bits));
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @param values int64 values, row-major
     * @return this
     */
    public SafetensorsWriter putLongs(String key, long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return put(key, TensorType.INT64, shape, b);
    }

    /**
     * @param key key to add or replace
     * @param shape shape
     * @return this, with an fp32 tensor of zeros
     */
    public SafetensorsWriter putZeros(String key, long... shape) {
        long bytes = Math.multiplyExact(elementCount(shape), 4L);
        return put(key, TensorType.FLOAT32, shape, ByteBuffer.allocate(Math.toIntExact(bytes)));
    }

    /**
     * @param key key to drop
     * @return this
     * @throws IllegalArgumentException if there is no such tensor
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
     * Adds or replaces an entry of {@code __metadata__} (string to string, as the format requires).
     *
     * @param key metadata key
     * @param value its value
     * @return this
     */
    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** @return the tensor keys, in insertion order (unmodifiable view) */
    public Set<String> keys() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /**
     * Writes the tensors to {@code file}, replacing it. Parent folders are created as needed. The
     * bytes go to a temporary file in the same folder first, which is then moved onto
     * {@code file}; on failure the temporary file is deleted and {@code file} is left as it was.
     *
     * @param file where to write
     * @return {@code file}
     * @throws IOException on write failure
     */
    public Path write(Path file) throws IOException {
        List<Map.Entry<String, Entry>> order = new ArrayList<>(tensors.entrySet());
        // stable: tensors of one element size keep their insertion order
        order.sort(Comparator.comparingInt((Map.Entry<String, Entry> e) -> e.getValue().type().byteSize()).reversed());

        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add(METADATA, meta);
        long offset = 0;
        for (Map.Entry<String, Entry> e : order) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", dtype(e.getValue().type()));
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
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(out, head);
                for (Map.Entry<String, Entry> e : order) {
                    writeFully(out, ByteBuffer.wrap(e.getValue().data()));
                }
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return file;
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static ByteBuffer shorts(short[] bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(bits);
        return b;
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
