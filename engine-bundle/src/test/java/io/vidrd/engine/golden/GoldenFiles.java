package io.vidrd.engine.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vidrd.runtime.checkpoint.SafetensorsReader;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the golden folder (system property {@code vidrd.golden.dir}, set by the parent pom,
 * else {@code ../../shared/golden} or {@code ../../../shared/golden} from the module directory)
 * and reads its tensors.
 */
public final class GoldenFiles {

    private GoldenFiles() {}

    /** The Stable Diffusion folder of the golden folder (tokenizer, scheduler, text encoder, configs). */
    public static final String SD = "stable-diffusion-2-1-base";

    private static final String NOT_FOUND = "golden folder not found (set -Dvidrd.golden.dir)";

    private static Optional<Path> find() {
        String prop = System.getProperty("vidrd.golden.dir");
        Path[] candidates = {
            prop == null ? null : Path.of(prop),
            Path.of("../../shared/golden"),
            Path.of("../../../shared/golden"),
        };
        for (Path p : candidates) {
            if (p != null && Files.isRegularFile(p.resolve("golden.safetensors"))) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** @return the golden folder; skips the calling test when it is absent */
    public static Path dir() {
        Optional<Path> dir = find();
        if (dir.isEmpty()) {
            Assumptions.abort(NOT_FOUND);
        }
        return dir.get();
    }

    /** @return the golden folder; fails (rather than skips) the calling test when it is absent */
    public static Path requireDir() {
        return find().orElseThrow(() -> new AssertionError(NOT_FOUND));
    }

    /** @return the {@link #SD} folder; fails (rather than skips) the calling test when the golden folder is absent */
    public static Path sd() {
        return requireDir().resolve(SD);
    }

    /**
     * @return {@code golden.safetensors}, opened (close it); fails (rather than skips) the calling
     *     test when the golden folder is absent
     * @throws IOException if it cannot be read
     */
    public static StateDict tensors() throws IOException {
        return SafetensorsReader.open(requireDir().resolve("golden.safetensors"));
    }

    /**
     * @param dict golden tensors
     * @param key a tensor name
     * @return its record; fails the calling test when it is missing
     */
    public static TensorRecord record(StateDict dict, String key) {
        return dict.get(key).orElseThrow(() -> new AssertionError("golden tensor missing: " + key));
    }

    /**
     * @param dict golden tensors
     * @param key a float32 tensor
     * @return its values, row-major; fails the calling test for another type
     * @throws IOException if it cannot be read
     */
    public static float[] floats(StateDict dict, String key) throws IOException {
        ByteBuffer b = read(dict, key, TensorType.FLOAT32);
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }

    /**
     * @param dict golden tensors
     * @param key an int64 tensor
     * @return its values, row-major; fails the calling test for another type
     * @throws IOException if it cannot be read
     */
    public static long[] longs(StateDict dict, String key) throws IOException {
        ByteBuffer b = read(dict, key, TensorType.INT64);
        long[] out = new long[b.remaining() / Long.BYTES];
        b.asLongBuffer().get(out);
        return out;
    }

    private static ByteBuffer read(StateDict dict, String key, TensorType type) throws IOException {
        TensorRecord r = record(dict, key);
        if (r.type() != type) {
            throw new AssertionError(key + " is " + r.type());
        }
        return r.read().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param relative path inside the golden folder
     * @return the resolved path
     */
    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    /**
     * @param manager where to create the array
     * @param key tensor name in {@code golden.safetensors}
     * @return the tensor (float32 or int64)
     */
    public static NDArray tensor(NDManager manager, String key) {
        try (StateDict d = SafetensorsReader.open(file("golden.safetensors"))) {
            TensorRecord r = d.get(key).orElseThrow(() -> new IllegalArgumentException("no golden tensor " + key));
            ByteBuffer raw = r.read().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
            direct.put(raw).rewind();
            DataType type = r.type() == TensorType.INT64 ? DataType.INT64 : DataType.FLOAT32;
            if (r.type() != TensorType.INT64 && r.type() != TensorType.FLOAT32) {
                throw new IllegalStateException(key + " has unexpected type " + r.type());
            }
            return manager.create(direct, new Shape(r.shape()), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code golden.json} parsed */
    public static JsonObject json() {
        try {
            return JsonParser.parseString(Files.readString(file("golden.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
