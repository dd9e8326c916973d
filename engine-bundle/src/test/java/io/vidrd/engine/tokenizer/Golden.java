package io.vidrd.engine.tokenizer;

import io.vidrd.runtime.checkpoint.SafetensorsReader;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Access to the golden folder: system property {@code vidrd.golden.dir}, else beside the checkout. */
final class Golden {

    private Golden() {
    }

    static Path dir() {
        String configured = System.getProperty("vidrd.golden.dir");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured) : Path.of("../../shared/golden");
        return dir.toAbsolutePath().normalize();
    }

    static Path sd() {
        return dir().resolve("stable-diffusion-2-1-base");
    }

    static StateDict tensors() throws IOException {
        return SafetensorsReader.open(dir().resolve("golden.safetensors"));
    }

    static TensorRecord record(StateDict dict, String key) {
        return dict.get(key).orElseThrow(() -> new AssertionError("golden tensor missing: " + key));
    }

    static float[] floats(StateDict dict, String key) throws IOException {
        TensorRecord r = record(dict, key);
        if (r.type() != TensorType.FLOAT32) {
            throw new AssertionError(key + " is " + r.type());
        }
        ByteBuffer b = r.read().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) r.elementCount()];
        b.asFloatBuffer().get(out);
        return out;
    }

    static long[] longs(StateDict dict, String key) throws IOException {
        TensorRecord r = record(dict, key);
        if (r.type() != TensorType.INT64) {
            throw new AssertionError(key + " is " + r.type());
        }
        ByteBuffer b = r.read().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[(int) r.elementCount()];
        b.asLongBuffer().get(out);
        return out;
    }
}
