package io.vidrd.vae.golden;

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
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the golden folder (system property {@code vidrd.golden.dir}, set by the parent pom, else
 * {@code ../../shared/golden} relative to the module) and reads its fp32 tensors. A trimmed copy
 * of the engine's test helper: test sources of one module cannot be shared with another.
 */
public final class GoldenFiles {

    private GoldenFiles() {}

    /** @return the golden folder; skips the calling test when it is absent */
    public static Path dir() {
        String prop = System.getProperty("vidrd.golden.dir");
        Path[] candidates = {prop == null || prop.isBlank() ? null : Path.of(prop), Path.of("../../shared/golden")};
        for (Path p : candidates) {
            if (p != null && Files.isRegularFile(p.resolve("golden.safetensors"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        Assumptions.abort("golden folder not found (set -Dvidrd.golden.dir)");
        return null;
    }

    /**
     * @param manager where to create the array
     * @param key fp32 tensor name in {@code golden.safetensors}
     * @return the tensor
     */
    public static NDArray tensor(NDManager manager, String key) {
        try (StateDict d = SafetensorsReader.open(dir().resolve("golden.safetensors"))) {
            TensorRecord r = d.get(key).orElseThrow(() -> new IllegalArgumentException("no golden tensor " + key));
            if (r.type() != TensorType.FLOAT32) {
                throw new IllegalStateException(key + " has unexpected type " + r.type());
            }
            ByteBuffer raw = r.read().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
            direct.put(raw).rewind();
            return manager.create(direct, new Shape(r.shape()), DataType.FLOAT32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code golden.json} parsed */
    public static JsonObject json() {
        try {
            return JsonParser.parseString(Files.readString(dir().resolve("golden.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
