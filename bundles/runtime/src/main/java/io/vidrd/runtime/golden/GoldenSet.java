package io.vidrd.runtime.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A golden folder: {@code golden.json} (case parameters, tolerances) and
 * {@code golden.safetensors} (inputs, outputs, intermediates, recorded draws), beside the model
 * files in the official layout. Holds the tensor file open until closed.
 */
public final class GoldenSet implements AutoCloseable {

    /** Name of the tensor file. */
    public static final String TENSORS = "golden.safetensors";
    /** Name of the description file. */
    public static final String DESCRIPTION = "golden.json";

    private final Path dir;
    private final JsonObject json;
    private final StateDict tensors;

    private GoldenSet(Path dir, JsonObject json, StateDict tensors) {
        this.dir = dir;
        this.json = json;
        this.tensors = tensors;
    }

    /**
     * @param dir the golden folder
     * @return it, opened
     * @throws IOException if a file is missing or unreadable, or {@code golden.json} is not a JSON object
     */
    public static GoldenSet open(Path dir) throws IOException {
        Path description = dir.resolve(DESCRIPTION);
        if (!Files.isRegularFile(description) || !Files.isRegularFile(dir.resolve(TENSORS))) {
            throw new IOException(dir + " is not a golden folder: it needs " + DESCRIPTION + " and " + TENSORS);
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(description, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(description + " is not a JSON object: " + e.getMessage(), e);
        }
        return new GoldenSet(dir, json, SafetensorsReader.open(dir.resolve(TENSORS)));
    }

    /** @return the folder (also the model directory) */
    public Path dir() {
        return dir;
    }

    /** @return the names of {@code golden.json} → {@code cases}, in file order */
    public List<String> caseNames() {
        JsonObject cases = json.getAsJsonObject("cases");
        return cases == null ? List.of() : List.copyOf(cases.keySet());
    }

    /**
     * @param name a case name
     * @return a copy of its parameters, if the case exists
     */
    public Optional<JsonObject> caseParameters(String name) {
        JsonObject cases = json.getAsJsonObject("cases");
        JsonElement c = cases == null ? null : cases.get(name);
        return c != null && c.isJsonObject() ? Optional.of(c.getAsJsonObject().deepCopy()) : Optional.empty();
    }

    /**
     * @param key a top-level key of {@code golden.json}
     * @return a copy of its value, if present
     */
    public Optional<JsonElement> section(String key) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.deepCopy());
    }

    /** @return tensor names of {@code golden.safetensors}, in file order */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keys());
    }

    /** @param name a tensor name @return whether the folder holds it */
    public boolean has(String name) {
        return tensors.get(name).isPresent();
    }

    /**
     * Tolerance of a tensor: exact for int64 tensors, else {@code cuda_vs_cpu} →
     * {@code suggested_atol} / {@code suggested_rel_l2}.
     *
     * @param name a tensor name
     * @return its tolerance, empty for a float tensor the folder gives none for
     */
    public Optional<Tolerance> tolerance(String name) {
        if (record(name).type() == TensorType.INT64) {
            return Optional.of(Tolerance.EXACT);
        }
        JsonObject all = json.getAsJsonObject("cuda_vs_cpu");
        JsonObject t = all == null ? null : all.getAsJsonObject(name);
        if (t == null || !t.has("suggested_atol") || !t.has("suggested_rel_l2")) {
            return Optional.empty();
        }
        return Optional.of(new Tolerance(t.get("suggested_atol").getAsDouble(), t.get("suggested_rel_l2").getAsDouble()));
    }

    /** @param name a tensor name @return its shape */
    public long[] shape(String name) {
        return record(name).shape();
    }

    /**
     * @param name a float32 or int64 tensor
     * @return its values widened to double, row-major
     */
    public double[] values(String name) {
        TensorRecord r = record(name);
        ByteBuffer b = read(r);
        double[] out = new double[Math.toIntExact(r.elementCount())];
        switch (r.type()) {
            case FLOAT32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getFloat();
                }
            }
            case INT64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getLong();
                }
            }
            default -> throw new IllegalArgumentException(name + " has unsupported type " + r.type());
        }
        return out;
    }

    /** @param name a float32 tensor @return its values, row-major */
    public float[] floats(String name) {
        TensorRecord r = record(name);
        if (r.type() != TensorType.FLOAT32) {
            throw new IllegalArgumentException(name + " is " + r.type() + ", not float32");
        }
        float[] out = new float[Math.toIntExact(r.elementCount())];
        read(r).asFloatBuffer().get(out);
        return out;
    }

    /**
     * @param manager where to create the array
     * @param name a float32 or int64 tensor
     * @return it as an array of the same type
     */
    public NDArray tensor(NDManager manager, String name) {
        TensorRecord r = record(name);
        DataType type = switch (r.type()) {
            case FLOAT32 -> DataType.FLOAT32;
            case INT64 -> DataType.INT64;
            default -> throw new IllegalArgumentException(name + " has unsupported type " + r.type());
        };
        ByteBuffer raw = read(r);
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            direct.put(raw);
        } else if (type == DataType.FLOAT32) {
            direct.asFloatBuffer().put(raw.asFloatBuffer());
        } else {
            direct.asLongBuffer().put(raw.asLongBuffer());
        }
        direct.rewind();
        return manager.create(direct, new Shape(r.shape()), type);
    }

    /**
     * Compares a computed tensor with the golden one of the same name, within {@link #tolerance}.
     * The values are copied to the host and widened to double before any arithmetic, so the
     * errors do not depend on the device or dtype the array lives on.
     *
     * @param name a golden tensor name
     * @param actual the computed tensor (any numeric type, any device)
     * @return the comparison; failed when the folder gives no tolerance for the tensor
     */
    public TensorResult compare(String name, NDArray actual) {
        return compare(name, name, actual);
    }

    /**
     * As {@link #compare(String, NDArray)}, reported under another label (the same golden tensor
     * checked through several code paths).
     *
     * @param label the result's name
     * @param name a golden tensor name
     * @param actual the computed tensor
     * @return the comparison
     */
    public TensorResult compare(String label, String name, NDArray actual) {
        double[] values = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        return compare(label, name, values, actual.getShape().getShape());
    }

    /**
     * @param label the result's name
     * @param name a golden tensor name
     * @param actual computed values, row-major
     * @param shape their shape
     * @return the comparison; failed when the folder has no such tensor or no tolerance for it
     */
    public TensorResult compare(String label, String name, double[] actual, long[] shape) {
        if (!has(name)) {
            return TensorResult.failed(label, Tolerance.EXACT, "golden.safetensors has no tensor " + name);
        }
        Optional<Tolerance> tol = tolerance(name);
        if (tol.isEmpty()) {
            return TensorResult.failed(label, Tolerance.EXACT, "golden.json gives no tolerance for " + name);
        }
        return TensorResult.compare(label, actual, shape, values(name), shape(name), tol.get());
    }

    /**
     * The checks of one golden case, as a runner implements them.
     */
    @FunctionalInterface
    public interface CaseCheck {
        /**
         * @param manager a sub-manager for the case's arrays, closed when the case ends
         * @param parameters a copy of the case's parameters from {@code golden.json}
         * @param results where to add one result per compared tensor or check
         * @throws IOException if a file cannot be read
         */
        void check(NDManager manager, JsonObject parameters, List<TensorResult> results) throws IOException;
    }

    /**
     * Runs one case and times it. The check works on a sub-manager of {@code parent}; failures of
     * any kind (no such case, a missing tensor, an exception in the check) come back as a failed
     * result named {@code name} after the results already added, never as exceptions.
     *
     * @param name a case of {@link #caseNames()}
     * @param resultName the name of the returned result (the case name, or it with a label)
     * @param parent the manager whose device runs the case
     * @param check the case's checks
     * @return its results
     */
    public CaseResult runCase(String name, String resultName, NDManager parent, CaseCheck check) {
        long start = System.nanoTime();
        List<TensorResult> results = new ArrayList<>();
        try (NDManager m = parent.newSubManager()) {
            JsonObject p = caseParameters(name)
                    .orElseThrow(() -> new IllegalArgumentException("golden.json has no case " + name));
            check.check(m, p, results);
        } catch (IOException | RuntimeException e) {
            results.add(TensorResult.check(name, false, "error: " + e));
        }
        return new CaseResult(resultName, results, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The tensor a {@code golden.json} description names: its first word (descriptions read like
     * {@code "unet.out [B,4,F,h,w] (noise prediction)"}).
     *
     * @param description a description from {@code cases}
     * @return the tensor name
     */
    public static String tensorName(String description) {
        return description.trim().split("\\s+")[0];
    }

    private TensorRecord record(String name) {
        return tensors.get(name).orElseThrow(() -> new IllegalArgumentException("no golden tensor " + name));
    }

    private static ByteBuffer read(TensorRecord r) {
        try {
            return r.read().order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tensors.close();
    }
}
