package io.vidrd.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vidrd.runtime.checkpoint.Checkpoints;
import io.vidrd.runtime.checkpoint.SafetensorsWriter;
import io.vidrd.runtime.checkpoint.StateDict;
import io.vidrd.runtime.checkpoint.TensorRecord;
import io.vidrd.runtime.checkpoint.TensorType;
import io.vidrd.runtime.nn.TensorConversion;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Exponential moving average of trained weights (the averaged copy DDPM-style diffusion training
 * samples from): {@code avg ← d·avg + (1−d)·w} after every optimiser step, with the usual warm-up
 * {@code d = min(decay, (1+n)/(10+n))} over the n updates so far, so that an average started late
 * in a run does not drag the initial weights along.
 *
 * <p>Saved as fp16 safetensors under the parameters' own state-dict keys: the average is only ever
 * shipped as fp16 ({@link ModelExport}), and half the bytes keep a resumable run folder within
 * what one call to the GPU machine may carry. Resuming widens it back to fp32.
 */
public final class WeightAverage implements AutoCloseable {

    private static final String UPDATES = "updates";

    private final float decay;
    private final Map<String, NDArray> average = new LinkedHashMap<>();
    private long updates;

    /** @param decay the long-run decay, e.g. 0.999 (an average over about 1000 steps) */
    public WeightAverage(float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1), got " + decay);
        }
        this.decay = decay;
    }

    /**
     * Moves the average towards the current weights; a key seen for the first time starts at its
     * current value.
     *
     * @param params the trained weights by key
     */
    public void update(Map<String, NDArray> params) {
        if (params.isEmpty()) {
            return;
        }
        float d = Math.min(decay, (1f + updates) / (10f + updates));
        updates++;
        try (NDManager scalars = params.values().iterator().next().getManager().newSubManager()) {
            NDArray keep = scalars.create(d);
            NDArray take = scalars.create(1 - d);
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray w = e.getValue();
                NDArray avg = average.get(e.getKey());
                if (avg == null) {
                    average.put(e.getKey(), w.stopGradient().duplicate());
                    continue;
                }
                try (NDArray part = w.stopGradient().mul(take)) {
                    avg.muli(keep).addi(part);
                }
            }
        }
    }

    /** @return the averaged weights by key (owned by this object) */
    public Map<String, NDArray> weights() {
        return java.util.Collections.unmodifiableMap(average);
    }

    /** @return updates so far */
    public long updates() {
        return updates;
    }

    /**
     * @param file target safetensors file (fp16 tensors plus the update count)
     * @throws IOException on write failure
     */
    public void save(Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (Map.Entry<String, NDArray> e : average.entrySet()) {
            w.putFloats(e.getKey(), TensorType.FLOAT16, e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        w.putLongs(UPDATES, new long[0], new long[] {updates});
        w.write(file);
    }

    /**
     * Replaces the state by a saved one.
     *
     * @param file written by {@link #save}
     * @param params the weights the average belongs to (their managers are used)
     * @throws IOException if the file cannot be read or names a weight not in {@code params}
     */
    public void restore(Path file, Map<String, NDArray> params) throws IOException {
        restore(file, params, key -> false);
    }

    /**
     * Replaces the state by a saved one, leaving out the averages of weights no longer trained
     * (their current, unchanging values are what ships).
     *
     * @param file written by {@link #save}
     * @param params the weights the average belongs to (their managers are used)
     * @param untrained keys of weights that the file may hold but that are not trained now (dropped)
     * @return how many averaged tensors were dropped
     * @throws IOException if the file cannot be read or names any other weight not in {@code params}
     */
    public int restore(Path file, Map<String, NDArray> params, Predicate<String> untrained) throws IOException {
        close();
        int dropped = 0;
        try (StateDict dict = Checkpoints.open(file)) {
            for (TensorRecord r : dict.tensors().values()) {
                if (r.key().equals(UPDATES)) {
                    updates = r.read().order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                    continue;
                }
                NDArray p = params.get(r.key());
                if (p == null && untrained.test(r.key())) {
                    dropped++;
                    continue;
                }
                if (p == null) {
                    throw new IOException(file + ": average of unknown weight " + r.key());
                }
                if (r.type() != TensorType.FLOAT16) {
                    throw new IOException(file + ": " + r.key() + " is " + r.type() + ", expected FLOAT16");
                }
                average.put(r.key(), TensorConversion.toNDArray(p.getManager(), r, DataType.FLOAT32));
            }
        }
        return dropped;
    }

    @Override
    public void close() {
        average.values().forEach(NDArray::close);
        average.clear();
    }
}
